"""Liveticker entries through the API: both pagings, the keys the ticker's purge reaches,
pinned queries, and nothing of a ticker readers cannot see."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from redaktion.api import schemas
from redaktion.core import surrogate
from redaktion.news.factories import (
    ArticlePageFactory,
    AuthorFactory,
    LiveTickerEntryFactory,
    LiveTickerPageFactory,
    RessortPageFactory,
)
from redaktion.news.live import LiveTickerEntry

pytestmark = pytest.mark.django_db


def url(ticker) -> str:
    return f"/api/v1/liveticker/{ticker.pk}/entries/"


@pytest.fixture
def politik(home_page):
    return RessortPageFactory(parent=home_page, title="Politik", slug="politik")


@pytest.fixture
def ticker(politik):
    return LiveTickerPageFactory(parent=politik, title="Wahlabend im Liveticker")


@pytest.fixture
def entries(ticker):
    """Five entries a minute apart, oldest first; the newest posted last."""
    start = timezone.now() - timedelta(hours=1)
    author = AuthorFactory(name="Anna Reporterin", slug="anna")
    return [
        LiveTickerEntryFactory(
            ticker=ticker,
            title=f"Eintrag {n}",
            posted_at=start + timedelta(minutes=n),
            author=author if n == 0 else None,
            is_key_event=n == 2,
        )
        for n in range(5)
    ]


def test_newest_first_with_a_cursor_to_the_older(client, ticker, entries):
    seen, cursor = [], None
    for _ in range(4):
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        response = client.get(url(ticker), params)
        assert response.status_code == 200
        data = schemas.LiveEntryList.model_validate(response.json())
        seen += [item.id for item in data.items]
        assert data.latest == entries[-1].pk
        cursor = data.next
        if cursor is None:
            break
    assert seen == [entry.pk for entry in reversed(entries)]


def test_an_entry_as_blocks_and_html(client, ticker, entries):
    data = schemas.LiveEntryList.model_validate(client.get(url(ticker)).json())
    assert data.ticker.title == "Wahlabend im Liveticker" and not data.ticker.closed
    assert data.ticker.url.endswith(ticker.url)
    oldest = data.items[-1]
    assert oldest.title == "Eintrag 0" and oldest.author.slug == "anna"
    assert [block.type for block in oldest.body] == ["paragraph"] * len(entries[0].body)
    assert oldest.body[0].value in oldest.body_html
    assert [item.key_event for item in data.items] == [False, False, True, False, False]


def test_since_gives_the_newer_entries_oldest_first(client, ticker, entries):
    response = client.get(url(ticker), {"since": entries[1].pk, "limit": 2})
    data = schemas.LiveEntryList.model_validate(response.json())
    assert [item.id for item in data.items] == [entries[2].pk, entries[3].pk]
    assert data.more and data.latest == entries[3].pk and data.next is None
    rest = client.get(url(ticker), {"since": data.latest}).json()
    assert [item["id"] for item in rest["items"]] == [entries[4].pk]
    assert not rest["more"]
    empty = client.get(url(ticker), {"since": entries[4].pk}).json()
    assert empty["items"] == [] and empty["latest"] == entries[4].pk


@pytest.mark.parametrize(
    "params", [{"cursor": "!"}, {"since": -1}, {"limit": 0}, {"since": 1, "cursor": "x"}]
)
def test_bad_parameters_are_a_400(client, ticker, params):
    response = client.get(url(ticker), params)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_keys_etag_and_the_ticker_purge(client, ticker, entries):
    first = client.get(url(ticker))
    assert {f"liveticker-{ticker.pk}", f"article-{ticker.pk}"} <= set(
        first["Surrogate-Key"].split()
    )
    assert first["Cache-Control"].startswith("public, max-age=")
    again = client.get(url(ticker), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    newest = LiveTickerEntryFactory(ticker=ticker, title="Hochrechnung")
    surrogate.purge([f"liveticker-{ticker.pk}"])  # what the entry's outbox step purges
    changed = client.get(url(ticker), headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200
    assert changed.json()["items"][0]["id"] == newest.pk


@pytest.mark.parametrize("count", [20, 500])
def test_fixed_queries_whatever_the_length(
    client, ticker, count, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True
    now = timezone.now()
    LiveTickerEntry.objects.bulk_create(
        LiveTickerEntryFactory.build(ticker=ticker, posted_at=now - timedelta(seconds=n))
        for n in range(count)
    )
    newest = LiveTickerEntry.objects.order_by("-pk")[3]
    # The view restrictions, the ticker, the entries with their authors, the newest id.
    with django_assert_num_queries(4):
        assert client.get(url(ticker)).status_code == 200
    # With since: no newest id to look up.
    with django_assert_num_queries(3):
        data = client.get(url(ticker), {"since": newest.pk}).json()
    assert len(data["items"]) == 3
    with django_assert_num_queries(0):  # a fragment until the ticker's next purge
        client.get(url(ticker), {"since": newest.pk})


@pytest.mark.parametrize(
    "state", ["draft", "scheduled", "unpublished", "restricted", "under_restricted", "article"]
)
def test_a_ticker_readers_cannot_see_is_404(client, home_page, politik, state):
    if state == "under_restricted":
        intern = RessortPageFactory(parent=home_page, title="Intern", slug="intern")
        PageViewRestriction.objects.create(page=intern, restriction_type="password", password="x")
        ticker = LiveTickerPageFactory(parent=intern)
    elif state == "article":  # an article that is no ticker
        ticker = ArticlePageFactory(parent=politik)
    elif state == "draft":
        ticker = LiveTickerPageFactory(parent=politik, live=False, publish=False)
    elif state == "scheduled":
        ticker = LiveTickerPageFactory(
            parent=politik,
            live=False,
            publish=False,
            go_live_at=timezone.now() + timedelta(days=1),
        )
    else:
        ticker = LiveTickerPageFactory(parent=politik)
        if state == "unpublished":
            ticker.unpublish()
        else:
            PageViewRestriction.objects.create(
                page=ticker, restriction_type="password", password="x"
            )
    if state != "article":
        LiveTickerEntryFactory(ticker=ticker, title="Geheimer Eintrag")
    response = client.get(url(ticker))
    assert response.status_code == 404
    assert "Geheimer" not in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert client.get(url(ticker), {"since": 0}).status_code == 404


def test_an_id_beyond_any_page_is_a_400_not_an_error(client, home_page):
    assert client.get("/api/v1/liveticker/99999999999/entries/").status_code == 400
