"""The Liveticker: the reader's page, its poll, and who may write entries."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission

from redaktion.core import surrogate
from redaktion.core.models import OutboxEntry
from redaktion.news.factories import (
    LiveTickerEntryFactory,
    LiveTickerPageFactory,
    RessortPageFactory,
)
from redaktion.news.live import PAGE_LENGTH, EntryOrder, LiveTickerEntry
from redaktion.news.live_services import (
    LiveTickerError,
    entry_may_post,
    entry_publish,
    entry_update,
)

pytestmark = pytest.mark.django_db

# The ticker's page with its fragments cached (the article's topics and authors among them):
# the article's queries and the entries' window (its route known from the first view:
# core.routing).
QUERIES_PAGE = 13


@pytest.fixture
def politik(home_page):
    return RessortPageFactory(parent=home_page, title="Politik", slug="politik")


@pytest.fixture
def ticker(politik):
    return LiveTickerPageFactory(parent=politik, title="Wahlabend im Liveticker")


def _user(django_user_model, name, *groups):
    user = django_user_model.objects.create_user(name, password="x" * 12)
    user.groups.add(*groups)
    return user


def _group_with_add_on(page, name):
    group = Group.objects.create(name=name)
    add_page = Permission.objects.get(content_type__app_label="wagtailcore", codename="add_page")
    GroupPagePermission.objects.create(group=group, page=page, permission=add_page)
    return group


def test_ticker_renders_under_its_ressort(client, ticker):
    response = client.get(ticker.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Wahlabend im Liveticker" in html
    assert "Noch keine Einträge." in html
    assert 'src="/static/js/live-ticker.js"' in html


def test_entries_newest_first_with_pinned_on_top_and_key_events(client, ticker):
    day = datetime(2026, 3, 8, 17, 0, tzinfo=UTC)
    first = LiveTickerEntryFactory(ticker=ticker, title="Wahllokale schließen", posted_at=day)
    pinned = LiveTickerEntryFactory(
        ticker=ticker, title="Alles Wichtige im Überblick", posted_at=day, is_pinned=True
    )
    key = LiveTickerEntryFactory(
        ticker=ticker,
        title="Erste Prognose",
        posted_at=day + timedelta(minutes=15),
        is_key_event=True,
    )
    next_day = LiveTickerEntryFactory(
        ticker=ticker, title="Koalitionsgespräche", posted_at=day + timedelta(hours=8)
    )
    html = client.get(ticker.url).content.decode()
    order = [html.index(f'id="eintrag-{e.pk}"') for e in (pinned, next_day, key, first)]
    assert order == sorted(order)
    assert "Wichtigste Ereignisse" in html
    assert f'<a href="#eintrag-{key.pk}">' in html
    assert "18:15 Uhr" in html  # 17:15 UTC in Berlin
    assert "09.03.2026" in html and "08.03.2026" in html  # the day changes


def test_oldest_first_by_choice(client, politik):
    ticker = LiveTickerPageFactory(parent=politik, entry_order=EntryOrder.OLDEST)
    now = timezone.now()
    early = LiveTickerEntryFactory(ticker=ticker, posted_at=now - timedelta(hours=1))
    late = LiveTickerEntryFactory(ticker=ticker, posted_at=now)
    html = client.get(ticker.url).content.decode()
    assert html.index(f'id="eintrag-{early.pk}"') < html.index(f'id="eintrag-{late.pk}"')


def test_paging_by_vor(client, ticker):
    now = timezone.now()
    entries = [
        LiveTickerEntryFactory(ticker=ticker, posted_at=now - timedelta(minutes=n))
        for n in range(PAGE_LENGTH + 5)
    ]
    html = client.get(ticker.url).content.decode()
    boundary = entries[PAGE_LENGTH - 1]
    assert f'href="?vor={boundary.pk}"' in html
    assert f'id="eintrag-{entries[PAGE_LENGTH].pk}"' not in html
    older = client.get(ticker.url, {"vor": boundary.pk}).content.decode()
    assert f'id="eintrag-{entries[PAGE_LENGTH].pk}"' in older
    assert f'id="eintrag-{boundary.pk}"' not in older
    assert "Zu den neuesten Einträgen" in older


def test_closed_ticker_says_so_and_does_not_poll(client, ticker):
    ticker.closed_at = timezone.now() - timedelta(minutes=1)
    ticker.save_revision().publish()
    html = client.get(ticker.url).content.decode()
    assert "Der Liveticker ist beendet." in html
    assert "data-live-poll" not in html


def test_poll_returns_only_newer_entries(client, ticker):
    old = LiveTickerEntryFactory(ticker=ticker)
    new = LiveTickerEntryFactory(ticker=ticker, title="Hochrechnung")
    url = reverse("live:entries", args=[ticker.pk])
    answer = client.get(url, {"since": old.pk})
    assert answer.status_code == 200
    data = answer.json()
    assert [e["id"] for e in data["entries"]] == [new.pk]
    assert data["latest"] == new.pk
    assert "Hochrechnung" in data["entries"][0]["html"]
    assert "max-age=5" in answer["Cache-Control"] and "public" in answer["Cache-Control"]
    assert f"liveticker-{ticker.pk}" in answer["Surrogate-Key"]
    assert client.get(url, {"since": new.pk}).json()["entries"] == []


def test_poll_of_an_unpublished_ticker_is_404(client, ticker):
    ticker.unpublish()
    assert client.get(reverse("live:entries", args=[ticker.pk])).status_code == 404


@pytest.mark.parametrize("count", [20, 2000])
def test_page_and_poll_in_fixed_queries(client, ticker, count, settings, django_assert_num_queries):
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True
    now = timezone.now()
    LiveTickerEntry.objects.bulk_create(
        LiveTickerEntryFactory.build(ticker=ticker, posted_at=now - timedelta(seconds=n))
        for n in range(count)
    )
    LiveTickerEntryFactory(ticker=ticker, is_pinned=True)
    LiveTickerEntryFactory(ticker=ticker, is_key_event=True)
    newest = LiveTickerEntry.objects.order_by("-pk")[2]
    client.get(ticker.url)  # the site root paths and the menu fragment, as after any request
    with django_assert_num_queries(3):
        client.get(reverse("live:entries", args=[ticker.pk]), {"since": newest.pk})
    with django_assert_num_queries(0):  # the answer is cached until the next entry
        client.get(reverse("live:entries", args=[ticker.pk]), {"since": newest.pk})
    client.get(ticker.url)
    surrogate.purge([f"liveticker-{ticker.pk}", f"page-{ticker.pk}"])
    with django_assert_num_queries(QUERIES_PAGE):
        response = client.get(ticker.url, {"vor": newest.pk})
    assert response.status_code == 200


def test_entry_permissions_per_group(django_user_model, politik, ticker, home_page):
    wirtschaft = RessortPageFactory(parent=home_page, title="Wirtschaft", slug="wirtschaft")
    own = _user(django_user_model, "autorin", _group_with_add_on(politik, "Test: Politik"))
    other = _user(django_user_model, "fremd", _group_with_add_on(wirtschaft, "Test: Wirtschaft"))
    redakteur = _user(
        django_user_model, "red", _group_with_add_on(home_page, "Test: alle Ressorts")
    )
    anzeigen = _user(django_user_model, "anz", Group.objects.create(name="Test: keine Seiten"))
    assert entry_may_post(user=own, ticker=ticker)
    assert entry_may_post(user=redakteur, ticker=ticker)
    assert not entry_may_post(user=other, ticker=ticker)
    assert not entry_may_post(user=anzeigen, ticker=ticker)
    entry = entry_publish(user=own, ticker=ticker, entry=LiveTickerEntryFactory.build(ticker=None))
    assert entry.pk and entry.created_by == own
    with pytest.raises(LiveTickerError):
        entry_publish(user=other, ticker=ticker, entry=LiveTickerEntryFactory.build(ticker=None))


def test_publish_records_the_purge_and_update_marks_it(django_user_model, ticker):
    editor = _user(django_user_model, "autorin")
    editor.is_superuser = True
    editor.save()
    entry = entry_publish(
        user=editor, ticker=ticker, entry=LiveTickerEntryFactory.build(ticker=None)
    )
    steps = set(OutboxEntry.objects.filter(topic="liveticker").values_list("step", flat=True))
    assert "news.live_purge" in steps
    assert entry.updated_at is None
    entry.title = "Korrigiert"
    entry_update(user=editor, entry=entry, was_key_event=False)
    assert entry.updated_at is not None


def test_closed_ticker_takes_no_entries(django_user_model, ticker):
    editor = _user(django_user_model, "chef")
    editor.is_superuser = True
    editor.save()
    ticker.closed_at = timezone.now()
    ticker.save_revision().publish()
    with pytest.raises(LiveTickerError, match="beendet"):
        entry_publish(user=editor, ticker=ticker, entry=LiveTickerEntryFactory.build(ticker=None))
