from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from redaktion.desk.models import LatePublication, SchedulerHeartbeat
from redaktion.desk.services import AUTOR, schedule_run

from .helpers import make_article, make_ressort, make_user

BERLIN = ZoneInfo("Europe/Berlin")
NOON = datetime(2025, 3, 10, 12, 0, tzinfo=BERLIN)
PANEL = 'id="desk-scheduler-section"'


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def dashboard(client, db):
    client.force_login(make_user("admin", superuser=True))

    def get():
        response = client.get(reverse("wagtailadmin_home"))
        assert response.status_code == 200
        return response.content.decode()

    return get


def heartbeat(at):
    SchedulerHeartbeat.objects.update_or_create(pk=1, defaults={"last_run_at": at})


def test_says_so_when_the_scheduler_never_ran(clock, dashboard):
    html = dashboard()

    assert PANEL in html
    assert "The scheduler has never run" in html


def test_warns_when_the_heartbeat_is_older_than_three_intervals(clock, dashboard, settings):
    settings.SCHEDULE_INTERVAL_SECONDS = 60
    heartbeat(NOON - timedelta(minutes=3, seconds=1))

    html = dashboard()

    assert "The scheduler is not running" in html
    assert "10.03.2025 11:56" in html


def test_stays_quiet_while_all_is_well(clock, dashboard, home_page):
    make_article(make_ressort(home_page, "Politik"), "Alles gut")
    heartbeat(NOON - timedelta(minutes=3))

    html = dashboard()

    assert PANEL not in html


def test_lists_what_is_overdue(clock, dashboard, home_page):
    heartbeat(NOON)
    article = make_article(make_ressort(home_page, "Politik"), "Hängt fest", live=False)
    article.go_live_at = NOON + timedelta(minutes=5)
    article.save_revision().publish()

    clock.move_to(NOON + timedelta(minutes=30))
    heartbeat(NOON + timedelta(minutes=30))
    html = dashboard()

    assert PANEL in html
    assert "Overdue" in html
    assert "Hängt fest" in html
    assert "10.03.2025 12:05" in html
    assert reverse("wagtailadmin_pages:edit", args=[article.pk]) in html


def test_lists_late_publications_of_the_last_seven_days(clock, dashboard, home_page):
    politik = make_ressort(home_page, "Politik")
    for title, expire_at in [("Lange her", NOON), ("Gestern", NOON + timedelta(days=7))]:
        make_article(politik, title, expire_at=expire_at)
    # The worker was down for two hours after each expiry.
    clock.move_to(NOON + timedelta(hours=2))
    schedule_run()
    clock.move_to(NOON + timedelta(days=7, hours=2))
    schedule_run()
    assert LatePublication.objects.count() == 2

    clock.move_to(NOON + timedelta(days=8))
    heartbeat(NOON + timedelta(days=8))
    html = dashboard()

    assert "Late or missed in the last 7 days" in html
    assert "Gestern" in html
    assert "2\xa0hours" in html
    assert "Lange her" not in html


def test_is_not_shown_to_users_without_page_permissions(clock, client, db):
    client.force_login(make_user("gast", AUTOR))

    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 200
    assert PANEL not in response.content.decode()
