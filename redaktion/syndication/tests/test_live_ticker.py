"""A Liveticker in the head, the Google News sitemap and the feeds: LiveBlogPosting with its
coverage times and updates, a place in the news sitemap for as long as it is live, and one
feed item that its entries update."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from wagtail.rich_text import RichText

from redaktion.news.factories import (
    ArticlePageFactory,
    LiveTickerEntryFactory,
    LiveTickerPageFactory,
)
from redaktion.news.live_services import live_purge

from .feeds import NS, atom, rss
from .helpers import ROOT_URL, parse_head

STARTED = datetime(2026, 3, 8, 16, 0, tzinfo=UTC)

# The properties Google documents for a LiveBlogPosting and for each of its updates.
LIVE_BLOG_REQUIRED = {"@type", "headline", "coverageStartTime", "liveBlogUpdate", "url"}
UPDATE_REQUIRED = {"@type", "headline", "datePublished", "articleBody", "url"}


@pytest.fixture
def ticker(brand, politik):
    with time_machine.travel(STARTED, tick=False):
        return LiveTickerPageFactory(parent=politik, title="Landtagswahl im Liveticker")


def _live_blog(client, ticker) -> dict:
    html = client.get(ticker.url).content.decode()
    documents = [json.loads(text) for text in parse_head(html).json_ld]
    (live,) = [d for d in documents if d["@type"] == "LiveBlogPosting"]
    assert not [d for d in documents if d["@type"] == "NewsArticle"]
    return live


def test_live_blog_posting_with_updates(client, ticker):
    first = LiveTickerEntryFactory(ticker=ticker, title="Wahllokale offen", posted_at=STARTED)
    second = LiveTickerEntryFactory(
        ticker=ticker,
        title="",
        posted_at=STARTED + timedelta(hours=2),
        updated_at=STARTED + timedelta(hours=3),
    )
    live = _live_blog(client, ticker)
    assert live.keys() >= LIVE_BLOG_REQUIRED
    assert live["coverageStartTime"] == "2026-03-08T17:00:00+01:00"
    assert "coverageEndTime" not in live
    assert live["dateModified"] == "2026-03-08T20:00:00+01:00"
    updates = live["liveBlogUpdate"]
    assert [u["url"] for u in updates] == [
        f"{ROOT_URL}{ticker.url}#eintrag-{second.pk}",
        f"{ROOT_URL}{ticker.url}#eintrag-{first.pk}",
    ]
    for update in updates:
        assert update.keys() >= UPDATE_REQUIRED
        assert update["@type"] == "BlogPosting"
    assert updates[0]["headline"] == "Landtagswahl im Liveticker"  # an entry without title
    assert updates[0]["dateModified"] == "2026-03-08T20:00:00+01:00"
    assert updates[1]["headline"] == "Wahllokale offen"
    assert updates[1]["datePublished"] == "2026-03-08T17:00:00+01:00"


def test_closed_ticker_names_its_end(client, ticker):
    ticker.closed_at = STARTED + timedelta(hours=6)
    ticker.save_revision().publish()
    LiveTickerEntryFactory(ticker=ticker, posted_at=STARTED)
    assert _live_blog(client, ticker)["coverageEndTime"] == "2026-03-08T23:00:00+01:00"


def test_news_sitemap_keeps_a_live_ticker_past_two_days(client, ticker):
    later = STARTED + timedelta(days=5)
    with time_machine.travel(later, tick=False):
        assert f"{ROOT_URL}{ticker.url}" in client.get("/sitemap-news.xml").content.decode()
    ticker.closed_at = later - timedelta(hours=1)
    ticker.save_revision().publish()
    with time_machine.travel(later, tick=False):
        assert f"{ROOT_URL}{ticker.url}" not in client.get("/sitemap-news.xml").content.decode()


@pytest.fixture
def ticker_entries(ticker):
    """A ticker that began at 17:00 (Berlin) with two key events among three entries."""
    return [
        LiveTickerEntryFactory(
            ticker=ticker,
            title="Wahllokale offen",
            is_key_event=True,
            posted_at=STARTED + timedelta(hours=1),
        ),
        LiveTickerEntryFactory(
            ticker=ticker, title="Lange Schlangen", posted_at=STARTED + timedelta(hours=2)
        ),
        LiveTickerEntryFactory(
            ticker=ticker,
            title="",
            is_key_event=True,
            posted_at=STARTED + timedelta(hours=3),
            body=[("paragraph", RichText("<p>Erste Hochrechnung: die Amtsinhaberin vorn.</p>"))],
        ),
    ]


def _ticker_item(client, ticker, path: str):
    for item in rss(client, path).findall("item"):
        if item.findtext("link") == f"{ROOT_URL}{ticker.url}":
            return item
    raise AssertionError(f"{ticker.url} is not in {path}")


def test_feeds_show_a_ticker_updated_by_its_newest_entry_and_its_key_events(
    client, ticker, ticker_entries
):
    item = _ticker_item(client, ticker, "/feeds/rss.xml")
    description = item.findtext("description")
    assert "<li>20:00 Uhr: Erste Hochrechnung: die Amtsinhaberin vorn.</li>" in description
    assert "<li>18:00 Uhr: Wahllokale offen</li>" in description
    assert description.index("20:00 Uhr") < description.index("18:00 Uhr")
    assert "Lange Schlangen" not in description  # not a key event

    entry = next(
        entry
        for entry in atom(client, "/feeds/ressort/politik/atom.xml").findall("atom:entry", NS)
        if entry.find("atom:link", NS).get("href") == f"{ROOT_URL}{ticker.url}"
    )
    assert entry.findtext("atom:updated", namespaces=NS) == "2026-03-08T20:00:00+01:00"
    assert "18:00 Uhr: Wahllokale offen" in entry.findtext("atom:summary", namespaces=NS)

    (json_item,) = [
        i for i in client.get("/feeds/feed.json").json()["items"] if i["title"] == ticker.title
    ]
    assert json_item["date_modified"] == "2026-03-08T20:00:00+01:00"
    assert json_item["content_text"].endswith(
        "20:00 Uhr: Erste Hochrechnung: die Amtsinhaberin vorn.\n18:00 Uhr: Wahllokale offen"
    )
    assert json_item["summary"] == ticker.lead


def test_the_tickers_cost_a_feed_one_query_for_their_key_events(
    client, ticker, ticker_entries, politik, django_assert_num_queries
):
    ArticlePageFactory(parent=politik, title="Ein Artikel daneben")
    second = LiveTickerPageFactory(parent=politik, title="Sturm über dem Norden")
    LiveTickerEntryFactory(ticker=second, is_key_event=True)
    client.get("/feeds/rss.xml")  # the site root paths, as after any request
    # Site, brand, view restrictions, articles, Ressorts, bylines, topics, as any feed
    # without lead images; then the key events of both tickers together.
    with django_assert_num_queries(8):
        items = rss(client, "/feeds/rss.xml").findall("item")
    assert len(items) == 3


def test_a_new_entry_purges_the_feeds_that_list_its_ticker(
    client, settings, ticker, ticker_entries
):
    settings.PAGE_CACHE_ENABLED = True
    path = "/feeds/ressort/politik/rss.xml"
    assert f"liveticker-{ticker.pk}" in client.get(path)["Surrogate-Key"].split()
    LiveTickerEntryFactory(
        ticker=ticker, title="Die Wahl ist entschieden", is_key_event=True, posted_at=STARTED
    )
    assert "entschieden" not in _ticker_item(client, ticker, path).findtext("description")
    live_purge({"ticker_id": ticker.pk})
    assert "entschieden" in _ticker_item(client, ticker, path).findtext("description")
