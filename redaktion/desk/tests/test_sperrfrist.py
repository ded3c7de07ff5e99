"""Scheduled publishing at the second (Sperrfrist): the worker's loop sleeps until the next
go-live or expiry, honours a schedule changed or cancelled while it sleeps, never publishes
early, starts the publish chain in the same pass, and two workers publish once."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from wagtail.models import PageLogEntry

from redaktion.core.models import OutboxEntry
from redaktion.core.worker import PostgresWakeup, SchedulerLoop
from redaktion.desk.models import LatePublication
from redaktion.desk.selectors import schedule_next_due
from redaktion.desk.signals import publish_due
from redaktion.news.models import ArticlePage, HomePage, VisibleArticle

from .helpers import make_article, make_ressort

BERLIN = ZoneInfo("Europe/Berlin")
# An embargo at a full minute, as agencies send them.
SPERRFRIST = datetime(2026, 3, 10, 18, 0, tzinfo=BERLIN)
# Long enough that no periodic run comes between the passes these tests make.
INTERVAL = 3600


@pytest.fixture
def clock():
    with time_machine.travel(SPERRFRIST - timedelta(minutes=5), tick=False) as traveller:
        yield traveller


@pytest.fixture
def politik(home_page):
    return make_ressort(home_page, "Politik")


def schedule(article, go_live_at):
    """Schedules (or reschedules) ``article`` as the editor's "publish" with a go-live does."""
    article = fresh(article)
    article.go_live_at = go_live_at
    article.save_revision().publish()
    return fresh(article)


def scheduled_article(ressort, title, go_live_at):
    return schedule(make_article(ressort, title, live=False), go_live_at)


def fresh(page):
    return ArticlePage.objects.get(pk=page.pk)


def cancel(article):
    """What the admin's "Cancel scheduled publish" does."""
    revision = fresh(article).scheduled_revision
    revision.approved_go_live_at = None
    revision.save(update_fields=["approved_go_live_at"])


def started_loop(clock, at):
    """A loop that made its first pass (the periodic run) at ``at``."""
    clock.move_to(at)
    loop = SchedulerLoop(interval=INTERVAL)
    loop.step()
    return loop


def test_the_worker_sleeps_until_the_second_and_never_publishes_early(clock, politik):
    article = scheduled_article(politik, "Sperrfrist 18 Uhr", SPERRFRIST)
    loop = started_loop(clock, SPERRFRIST - timedelta(seconds=10))
    assert not fresh(article).live

    clock.move_to(SPERRFRIST - timedelta(seconds=4))
    assert loop.step() == 4.0

    clock.move_to(SPERRFRIST - timedelta(microseconds=1))
    assert loop.step() == pytest.approx(1e-6)
    assert not fresh(article).live

    clock.move_to(SPERRFRIST)
    loop.step()
    article = fresh(article)
    assert article.live
    assert article.first_published_at == SPERRFRIST
    assert not LatePublication.objects.exists()
    assert (
        PageLogEntry.objects.filter(page=article, action="wagtail.publish.scheduled").count() == 1
    )


def test_the_publish_chain_runs_in_the_same_pass(clock, politik):
    article = scheduled_article(politik, "Mit Kette", SPERRFRIST)
    loop = started_loop(clock, SPERRFRIST - timedelta(seconds=1))

    clock.move_to(SPERRFRIST)
    loop.step()

    entries = OutboxEntry.objects.filter(subject=f"article-{article.pk}")
    assert entries.exists()
    assert set(entries.values_list("state", flat=True)) == {OutboxEntry.State.DONE}
    assert VisibleArticle.objects.filter(article_id=article.pk).exists()


def test_a_schedule_moved_later_while_the_worker_sleeps_is_honoured(clock, politik):
    article = scheduled_article(politik, "Verschoben", SPERRFRIST)
    loop = started_loop(clock, SPERRFRIST - timedelta(seconds=10))

    schedule(article, SPERRFRIST + timedelta(seconds=30))
    clock.move_to(SPERRFRIST)
    assert loop.step() == 30.0
    assert not fresh(article).live

    clock.move_to(SPERRFRIST + timedelta(seconds=30))
    loop.step()
    assert fresh(article).live
    assert fresh(article).first_published_at == SPERRFRIST + timedelta(seconds=30)


def test_a_schedule_moved_earlier_while_the_worker_sleeps_wakes_it_sooner(clock, politik):
    article = scheduled_article(politik, "Vorgezogen", SPERRFRIST)
    loop = started_loop(clock, SPERRFRIST - timedelta(seconds=30))

    schedule(article, SPERRFRIST - timedelta(seconds=20))
    assert loop.step() == 10.0

    clock.move_to(SPERRFRIST - timedelta(seconds=20))
    loop.step()
    assert fresh(article).live


def test_a_schedule_cancelled_while_the_worker_sleeps_is_honoured(clock, politik):
    article = scheduled_article(politik, "Abgesagt", SPERRFRIST)
    loop = started_loop(clock, SPERRFRIST - timedelta(seconds=10))

    cancel(article)
    clock.move_to(SPERRFRIST - timedelta(seconds=5))
    # Nothing planned: the loop sleeps until its next periodic run.
    assert loop.step() == INTERVAL - 5
    clock.move_to(SPERRFRIST + timedelta(seconds=1))
    loop.step()

    article = fresh(article)
    assert not article.live
    assert article.scheduled_revision is None


def test_a_new_schedule_while_the_worker_sleeps_is_picked_up(clock, politik):
    loop = started_loop(clock, SPERRFRIST - timedelta(minutes=1))
    assert loop.step() == INTERVAL

    article = scheduled_article(politik, "Neu geplant", SPERRFRIST)
    assert loop.step() == 60.0
    clock.move_to(SPERRFRIST)
    loop.step()
    assert fresh(article).live


def test_expiry_at_the_second(clock, politik):
    article = make_article(politik, "Befristet", expire_at=SPERRFRIST)
    loop = started_loop(clock, SPERRFRIST - timedelta(seconds=5))
    assert loop.step() == 5.0

    clock.move_to(SPERRFRIST - timedelta(microseconds=1))
    loop.step()
    assert fresh(article).live

    clock.move_to(SPERRFRIST)
    loop.step()
    article = fresh(article)
    assert not article.live
    assert article.expired
    assert not LatePublication.objects.exists()


def test_a_failing_go_live_waits_for_the_periodic_run_instead_of_spinning(
    clock, politik, monkeypatch
):
    article = scheduled_article(politik, "Kaputt", SPERRFRIST)
    loop = started_loop(clock, SPERRFRIST - timedelta(seconds=1))

    def broken(self, *args, **kwargs):
        raise RuntimeError("downstream broke")

    monkeypatch.setattr("wagtail.models.Revision.publish", broken)
    clock.move_to(SPERRFRIST)
    # Still due, but already tried: the next pass is the periodic one, not at once.
    assert loop.step() == INTERVAL - 1
    assert not fresh(article).live

    monkeypatch.undo()
    clock.move_to(SPERRFRIST + timedelta(seconds=INTERVAL))
    loop.step()
    assert fresh(article).live


def test_next_due_is_the_earliest_go_live_or_expiry_after_a_time(
    clock, politik, django_assert_num_queries
):
    scheduled_article(politik, "Später", SPERRFRIST + timedelta(seconds=3))
    make_article(politik, "Läuft ab", expire_at=SPERRFRIST + timedelta(seconds=1))

    with django_assert_num_queries(2):
        assert schedule_next_due(after=SPERRFRIST) == SPERRFRIST + timedelta(seconds=1)
    assert schedule_next_due(after=SPERRFRIST + timedelta(seconds=1)) == SPERRFRIST + timedelta(
        seconds=3
    )
    assert schedule_next_due(after=SPERRFRIST + timedelta(seconds=3)) is None


# PostgreSQL: notifications wake the worker, and row locks keep two workers from publishing
# one article twice. Real transactions, so that notifications are delivered at commit.


def _in_thread(func):
    """Runs ``func`` in a thread with its own database connection; returns its result."""
    result = {}

    def target():
        try:
            result["value"] = func()
        finally:
            connection.close()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(60)
    return result.get("value")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_schedule_set_in_another_connection_wakes_the_waiting_worker():
    home_page = HomePage.objects.get(depth=2)
    politik = make_ressort(home_page, "Politik")
    article = make_article(politik, "Benachrichtigt", live=False)
    wakeup = PostgresWakeup()
    try:
        assert wakeup.wait(0) is False

        _in_thread(lambda: schedule(article, SPERRFRIST + timedelta(days=3650)))
        assert wakeup.wait(30) is True

        _in_thread(lambda: cancel(article))
        assert wakeup.wait(30) is True
        assert wakeup.wait(0) is False

        wakeup.interrupt()  # what stopping the worker does
        assert wakeup.wait(30) is True
    finally:
        wakeup.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_publish_once():
    home_page = HomePage.objects.get(depth=2)
    politik = make_ressort(home_page, "Politik")
    with time_machine.travel(SPERRFRIST - timedelta(minutes=1), tick=False) as clock:
        articles = [
            scheduled_article(politik, f"Doppelt {n}", SPERRFRIST + timedelta(microseconds=n))
            for n in range(5)
        ]
        clock.move_to(SPERRFRIST + timedelta(seconds=1))
        start = threading.Barrier(2)

        def worker():
            start.wait()
            return publish_due().published

        results = []
        threads = [
            threading.Thread(target=lambda: results.append(_in_thread(worker))) for _ in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)

    assert sum(results) == len(articles)
    for article in articles:
        assert fresh(article).live
        assert (
            PageLogEntry.objects.filter(page=article, action="wagtail.publish.scheduled").count()
            == 1
        )
        assert (
            OutboxEntry.objects.filter(
                subject=f"article-{article.pk}", step="news.purge", payload__kind="visible"
            ).count()
            == 1
        )
