"""The Eilmeldung banner: fetched by every page from a short-lived public answer, purged
when the newsroom changes it, gone by itself at its end time."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from redaktion.core.surrogate import PURGE_MARGIN_NS
from redaktion.news.breaking import BreakingNews

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 8, 18, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fragments(settings):
    settings.FRAGMENT_CACHE_ENABLED = True


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what a change does once its transaction commits (the purge)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _banner(client):
    response = client.get(reverse("live:breaking"))
    assert response.status_code == 200
    return response


def test_every_page_carries_the_empty_banner_and_its_script(client, home_page):
    html = client.get("/").content.decode()
    assert 'data-breaking="/live/eilmeldung/"' in html
    assert 'src="/static/js/breaking.js"' in html
    assert "Eilmeldung" in html
    # Every link on the page leads somewhere (the banner's line is made by the script).
    anchors = re.findall(r"<a\b[^>]*>", html)
    assert anchors and all(" href=" in anchor for anchor in anchors), anchors


def test_banner_appears_and_expires(client, committed):
    with time_machine.travel(NOW, tick=False):
        assert _banner(client).json() == {}
        with committed():
            BreakingNews.objects.create(
                text="Kanzler tritt zurück",
                link="/politik/ruecktritt/",
                starts_at=NOW,
                ends_at=NOW + timedelta(minutes=30),
            )
        response = _banner(client)  # purged on save: no stale empty answer
        assert response.json()["text"] == "Kanzler tritt zurück"
        assert response.json()["url"] == "/politik/ruecktritt/"
        assert "max-age=15" in response["Cache-Control"]
        assert "eilmeldung" in response["Surrogate-Key"]
    with time_machine.travel(NOW + timedelta(minutes=29, seconds=55), tick=False):
        # Never reused past its end.
        assert "max-age=5" in _banner(client)["Cache-Control"]
    with time_machine.travel(NOW + timedelta(minutes=30), tick=False):
        assert _banner(client).json() == {}


def test_planned_banner_shows_at_its_start(client, committed):
    with time_machine.travel(NOW, tick=False):
        BreakingNews.objects.create(
            text="Regierungserklärung",
            starts_at=NOW + timedelta(seconds=8),
            ends_at=NOW + timedelta(hours=1),
        )
        response = _banner(client)
        assert response.json() == {}
        assert "max-age=8" in response["Cache-Control"]
    with time_machine.travel(NOW + timedelta(seconds=8), tick=False):
        assert _banner(client).json()["text"] == "Regierungserklärung"


def test_deleting_the_banner_purges_it(client, committed):
    with time_machine.travel(NOW, tick=False):
        with committed():
            banner = BreakingNews.objects.create(text="Eil", ends_at=NOW + timedelta(hours=1))
        assert _banner(client).json()["text"] == "Eil"
        with committed():
            banner.delete()
        assert _banner(client).json() == {}


def test_banner_answer_is_cached_until_changed(client, committed, django_assert_num_queries):
    with committed():
        BreakingNews.objects.create(text="Eil", ends_at=timezone.now() + timedelta(hours=1))
    # Nothing built in the moments after a purge is stored (it may predate the purge).
    with time_machine.travel(timezone.now() + timedelta(seconds=PURGE_MARGIN_NS / 1e9 + 1)):
        _banner(client)
        with django_assert_num_queries(0):
            assert _banner(client).json()["text"] == "Eil"
