"""The admin where the second counts: scheduled times to the second in the schedule view and
the page's status panel, and a warning where a go-live time is set that lies in the past or
less than a minute ahead."""

from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from redaktion.desk.views import go_live_warning
from redaktion.news.factories import AuthorFactory
from redaktion.news.models import ArticleAuthor, ArticlePage

from . import editor
from .helpers import make_article, make_ressort, make_user

BERLIN = ZoneInfo("Europe/Berlin")
SPERRFRIST = datetime(2026, 3, 10, 18, 0, tzinfo=BERLIN)
WARNING = "data-desk-go-live-warning"


@pytest.fixture
def clock():
    with time_machine.travel(SPERRFRIST - timedelta(hours=1), tick=False) as traveller:
        yield traveller


@pytest.fixture
def politik(home_page):
    return make_ressort(home_page, "Politik")


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_user("cvd", superuser=True))
    return client


def scheduled(ressort, title, go_live_at):
    article = make_article(ressort, title, live=False)
    article.go_live_at = go_live_at
    article.save_revision().publish()
    return article


def draft(ressort, title):
    """An unpublished article that the editor's form can save as it is."""
    article = make_article(
        ressort,
        title,
        live=False,
        article_authors=[ArticleAuthor(author=AuthorFactory(name="Anna Autorin"))],
    )
    article.save_revision()
    return article


def saved(response) -> str:
    """The page after saving, which must have succeeded."""
    text = page_text(response)
    assert "could not be saved" not in text
    return text


def page_text(response) -> str:
    return unescape(response.content.decode())


def test_the_schedule_view_shows_times_to_the_second(clock, politik, admin_client):
    scheduled(politik, "Sperrfrist", SPERRFRIST + timedelta(seconds=5))
    make_article(politik, "Befristet", expire_at=SPERRFRIST + timedelta(seconds=42))

    html = page_text(admin_client.get(reverse("desk_schedule")))

    assert "10.03.2026 18:00:05" in html
    assert "10.03.2026 18:00:42" in html


def test_the_status_panel_shows_go_live_and_expiry_to_the_second(clock, politik, admin_client):
    article = make_article(politik, "Geplant", live=False)
    article.go_live_at = SPERRFRIST + timedelta(seconds=5)
    article.expire_at = SPERRFRIST + timedelta(hours=2, seconds=7)
    article.save_revision().publish()

    html = page_text(admin_client.get(editor.edit_url(article)))

    assert "Go-live:</span> <time" in html
    assert "10.03.2026 18:00:05" in html
    assert "10.03.2026 20:00:07" in html
    assert "Approved. Goes live: 10.03.2026 18:00:05." in html  # the desk's line
    assert WARNING not in html


def test_a_live_pages_expiry_is_shown_to_the_second(clock, politik, admin_client):
    article = make_article(politik, "Läuft ab", expire_at=SPERRFRIST + timedelta(seconds=9))

    html = page_text(admin_client.get(editor.edit_url(article)))

    assert "data-desk-live-expiry" in html
    assert "10.03.2026 18:00:09" in html


def test_saving_a_go_live_in_the_past_warns_on_save_in_the_panel_and_the_dialog(
    clock, politik, admin_client
):
    article = draft(politik, "Vertippt")

    response = editor.save_schedule(
        admin_client, article, go_live_at=SPERRFRIST - timedelta(days=1), follow=True
    )

    message = (
        "The go-live time 09.03.2026 18:00:00 lies in the past: publishing puts it online at once."
    )
    assert message in saved(response)
    html = page_text(admin_client.get(editor.edit_url(article)))
    assert html.count(WARNING) == 2  # the status panel and the schedule dialog
    assert message in html


def test_a_go_live_less_than_a_minute_ahead_warns(clock, politik, admin_client):
    clock.move_to(SPERRFRIST - timedelta(seconds=30))
    article = draft(politik, "Gleich")

    response = editor.save_schedule(admin_client, article, go_live_at=SPERRFRIST, follow=True)

    assert (
        "The go-live time 10.03.2026 18:00:00 is less than a minute away: check it is the one "
        "you meant." in saved(response)
    )


def test_a_go_live_a_minute_ahead_or_more_does_not_warn(clock, politik, admin_client):
    clock.move_to(SPERRFRIST - timedelta(seconds=61))
    article = draft(politik, "Rechtzeitig")

    response = editor.save_schedule(admin_client, article, go_live_at=SPERRFRIST, follow=True)

    assert WARNING not in saved(response)
    assert "less than a minute" not in page_text(response)


def test_the_go_live_of_an_earlier_publication_is_history_not_a_warning(
    clock, politik, admin_client
):
    article = draft(politik, "Längst online")
    article.go_live_at = SPERRFRIST - timedelta(minutes=30)
    article.save_revision().publish()
    clock.move_to(SPERRFRIST - timedelta(minutes=30))
    ArticlePage.objects.get(pk=article.pk).scheduled_revision.publish()
    clock.move_to(SPERRFRIST)

    response = editor.press(admin_client, article, follow=True)  # save a draft of the live article

    assert WARNING not in saved(response)
    assert "lies in the past" not in page_text(response)
    live = ArticlePage.objects.get(pk=article.pk)
    assert live.live
    assert go_live_warning(obj=live, go_live_at=live.go_live_at) == ""
    # A new go-live after that publication is a plan again.
    with translation.override("en"):
        warning = go_live_warning(obj=live, go_live_at=SPERRFRIST - timedelta(seconds=1))
    assert "lies in the past" in warning
