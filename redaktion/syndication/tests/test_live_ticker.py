"""A Liveticker in the head and the Google News sitemap: LiveBlogPosting with its coverage
times and updates, and a place in the news sitemap for as long as it is live."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from redaktion.news.factories import LiveTickerEntryFactory, LiveTickerPageFactory

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
