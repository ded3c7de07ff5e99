import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from redaktion.desk.selectors import ScheduleEntry, schedule_upcoming
from redaktion.desk.services import desk_setup

from .helpers import make_article, make_autor, make_ressort, make_user

BERLIN = ZoneInfo("Europe/Berlin")
NINE = datetime(2025, 3, 10, 9, 0, tzinfo=BERLIN)


@pytest.fixture
def schedule(home_page):
    """Three planned events, created out of order: Sport at 18:15, Politik expiring at 12:00,
    Politik going live at 10:30."""
    desk_setup()
    with time_machine.travel(NINE, tick=False):
        politik = make_ressort(home_page, "Politik")
        sport = make_ressort(home_page, "Sport")
        for ressort, title, go_live_at in [
            (sport, "Anpfiff", NINE.replace(hour=18, minute=15)),
            (politik, "Regierungserklärung", NINE.replace(hour=10, minute=30)),
        ]:
            article = make_article(ressort, title, live=False)
            article.go_live_at = go_live_at
            article.save_revision().publish()
        make_article(politik, "Liveticker Wahl", expire_at=NINE.replace(hour=12))
        make_article(politik, "Ohne Plan")
        yield {"politik": politik, "sport": sport}


def test_lists_planned_publications_and_unpublications_in_time_order(schedule):
    with time_machine.travel(NINE, tick=False):
        entries = schedule_upcoming()

    assert [
        (e.planned_at.astimezone(BERLIN).strftime("%H:%M"), e.action, e.title) for e in entries
    ] == [
        ("10:30", ScheduleEntry.PUBLISH, "Regierungserklärung"),
        ("12:00", ScheduleEntry.UNPUBLISH, "Liveticker Wahl"),
        ("18:15", ScheduleEntry.PUBLISH, "Anpfiff"),
    ]
    assert [e.ressort_title for e in entries] == ["Politik", "Politik", "Sport"]


def test_reads_the_schedule_in_a_fixed_number_of_queries(schedule, django_assert_num_queries):
    schedule_upcoming()  # warms the content type cache
    with time_machine.travel(NINE, tick=False), django_assert_num_queries(4):
        schedule_upcoming()


def test_past_events_are_not_upcoming(schedule):
    with time_machine.travel(NINE.replace(hour=13), tick=False):
        titles = [e.title for e in schedule_upcoming()]

    assert titles == ["Anpfiff"]


def test_schedule_page_shows_berlin_times_in_order(client, schedule):
    client.force_login(make_user("admin", superuser=True))

    with time_machine.travel(NINE, tick=False):
        response = client.get(reverse("desk_schedule"))

    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r"10\.03\.2025 \d\d:\d\d", html) == [
        "10.03.2025 10:30",
        "10.03.2025 12:00",
        "10.03.2025 18:15",
    ]
    assert html.index("Regierungserklärung") < html.index("Liveticker Wahl") < html.index("Anpfiff")


def test_an_autor_sees_the_schedule_with_links_only_to_what_they_may_edit(client, schedule):
    autor = make_autor("anna", schedule["politik"])
    own = make_article(schedule["politik"], "Eigener Kommentar", owner=autor, live=False)
    own.go_live_at = NINE + timedelta(days=1)
    own.save_revision(user=autor).publish()
    client.force_login(autor)

    with time_machine.travel(NINE, tick=False):
        html = client.get(reverse("desk_schedule")).content.decode()

    assert "Anpfiff" in html
    assert reverse("wagtailadmin_pages:edit", args=[own.pk]) in html
    edit_links = re.findall(r'href="/admin/pages/(\d+)/edit/"', html)
    assert edit_links == [str(own.pk)]
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("desk_schedule") in home  # the menu item


def test_users_without_page_permissions_neither_see_nor_open_the_schedule(client, schedule):
    client.force_login(make_user("gast", "Autor"))

    response = client.get(reverse("desk_schedule"))

    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("desk_schedule") not in home
