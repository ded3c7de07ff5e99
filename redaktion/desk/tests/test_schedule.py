import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from wagtail.models import PageLogEntry
from wagtail.signals import page_published

from redaktion.desk.models import LatePublication, SchedulerHeartbeat
from redaktion.desk.services import schedule_run

from .helpers import make_article, make_ressort

BERLIN = ZoneInfo("Europe/Berlin")
TEN = datetime(2025, 3, 10, 10, 0, tzinfo=BERLIN)


@pytest.fixture
def clock():
    with time_machine.travel(TEN - timedelta(hours=1), tick=False) as traveller:
        yield traveller


@pytest.fixture
def politik(home_page):
    return make_ressort(home_page, "Politik")


def schedule_article(ressort, title, *, go_live_at, expire_at=None):
    """A draft approved for publication at ``go_live_at``, as the editor's "publish" does."""
    article = make_article(ressort, title, live=False)
    article.go_live_at = go_live_at
    article.expire_at = expire_at
    article.save_revision().publish()
    article = fresh(article)
    assert not article.live and article.scheduled_revision is not None
    return article


def fresh(page):
    """The page as stored now (``scheduled_revision`` is cached on an instance)."""
    return type(page).objects.get(pk=page.pk)


@pytest.fixture
def published_signals():
    """Pages that ``page_published`` announced from now on. Wagtail sends it also when it
    merely schedules a page: clear the list after scheduling."""
    received = []

    def receiver(sender, instance, **kwargs):
        received.append(instance.pk)

    page_published.connect(receiver)
    yield received
    page_published.disconnect(receiver)


def test_publishes_on_time_without_a_late_record(clock, politik, caplog):
    article = schedule_article(politik, "Pünktlich", go_live_at=TEN)

    clock.move_to(TEN + timedelta(seconds=30))
    with caplog.at_level(logging.WARNING, logger="redaktion.desk"):
        run = schedule_run()

    article = fresh(article)
    assert article.live
    assert article.scheduled_revision is None
    assert (run.published, run.late) == (1, [])
    assert not LatePublication.objects.exists()
    assert not [r for r in caplog.records if r.name == "redaktion.desk"]
    assert (
        PageLogEntry.objects.filter(page=article, action="wagtail.publish.scheduled").count() == 1
    )


def test_nothing_is_published_before_its_time(clock, politik):
    article = schedule_article(politik, "Später", go_live_at=TEN)

    clock.move_to(TEN - timedelta(seconds=1))
    run = schedule_run()

    article.refresh_from_db()
    assert not article.live
    assert run.published == 0


def test_catch_up_after_downtime_publishes_and_records_the_delay(clock, politik, caplog):
    article = schedule_article(politik, "Verspätet", go_live_at=TEN)

    clock.move_to(TEN + timedelta(hours=2))
    with caplog.at_level(logging.WARNING, logger="redaktion.desk"):
        run = schedule_run()

    article.refresh_from_db()
    assert article.live
    late = LatePublication.objects.get()
    assert late.action == LatePublication.Action.PUBLISH
    assert late.page_id == article.pk
    assert late.revision_id == article.latest_revision_id
    assert late.object_repr == "Verspätet"
    assert late.planned_at == TEN
    assert late.executed_at == TEN + timedelta(hours=2)
    assert late.delay == timedelta(hours=2)
    assert run.late == [late]
    [warning] = [r for r in caplog.records if r.name == "redaktion.desk"]
    assert warning.levelno == logging.WARNING
    assert "Verspätet" in warning.getMessage()
    assert "2:00:00" in warning.getMessage()


def test_just_within_the_grace_period_is_not_late(clock, politik, settings):
    settings.SCHEDULE_LATE_AFTER_SECONDS = 120
    schedule_article(politik, "Knapp", go_live_at=TEN)

    clock.move_to(TEN + timedelta(seconds=120))
    schedule_run()
    assert not LatePublication.objects.exists()


def test_unpublishes_expired_pages_on_time(clock, politik):
    article = make_article(politik, "Befristet", expire_at=TEN)

    clock.move_to(TEN + timedelta(seconds=30))
    run = schedule_run()

    article.refresh_from_db()
    assert not article.live
    assert article.expired
    assert (run.unpublished, run.late) == (1, [])
    assert not LatePublication.objects.exists()


def test_late_unpublish_is_recorded(clock, politik, caplog):
    article = make_article(politik, "Abgelaufen", expire_at=TEN)

    clock.move_to(TEN + timedelta(hours=2))
    with caplog.at_level(logging.WARNING, logger="redaktion.desk"):
        schedule_run()

    article.refresh_from_db()
    assert not article.live
    late = LatePublication.objects.get()
    assert (late.action, late.page_id, late.delay) == (
        LatePublication.Action.UNPUBLISH,
        article.pk,
        timedelta(hours=2),
    )
    assert [r.levelno for r in caplog.records if r.name == "redaktion.desk"] == [logging.WARNING]


def test_running_twice_publishes_once(clock, politik, published_signals):
    article = schedule_article(politik, "Einmal", go_live_at=TEN)
    published_signals.clear()

    clock.move_to(TEN + timedelta(hours=1))
    first = schedule_run()
    second = schedule_run()

    assert published_signals == [article.pk]
    assert (first.published, second.published) == (1, 0)
    assert LatePublication.objects.count() == 1
    assert (
        PageLogEntry.objects.filter(page=article, action="wagtail.publish.scheduled").count() == 1
    )


def test_a_run_that_was_overtaken_by_a_concurrent_one_publishes_nothing_twice(
    clock, politik, published_signals
):
    first = schedule_article(politik, "Erster", go_live_at=TEN - timedelta(minutes=1))
    second = schedule_article(politik, "Zweiter", go_live_at=TEN)
    published_signals.clear()

    def concurrent_run(sender, instance, **kwargs):
        # While this run publishes the first article, another one starts and takes the
        # second, which this run has already listed as due.
        if instance.pk == first.pk:
            page_published.disconnect(concurrent_run)
            schedule_run()

    clock.move_to(TEN + timedelta(seconds=30))
    page_published.connect(concurrent_run)
    try:
        run = schedule_run()
    finally:
        page_published.disconnect(concurrent_run)

    assert sorted(published_signals) == sorted([first.pk, second.pk])
    assert run.published == 1
    assert run.failed == 0


def test_a_revision_whose_window_passed_during_downtime_is_not_published(
    clock, politik, published_signals
):
    article = schedule_article(
        politik, "Verpasst", go_live_at=TEN, expire_at=TEN + timedelta(hours=1)
    )
    published_signals.clear()

    clock.move_to(TEN + timedelta(hours=2))
    run = schedule_run()

    article = fresh(article)
    assert not article.live
    assert article.scheduled_revision is None
    assert published_signals == []
    assert run.missed == 1
    late = LatePublication.objects.get()
    assert late.action == LatePublication.Action.MISSED


def test_one_failing_publication_does_not_stop_the_others(clock, politik, caplog):
    broken = schedule_article(politik, "Kaputt", go_live_at=TEN - timedelta(minutes=1))
    fine = schedule_article(politik, "Heil", go_live_at=TEN)

    def failing_receiver(sender, instance, **kwargs):
        if instance.pk == broken.pk:
            raise RuntimeError("a downstream handler broke")

    clock.move_to(TEN + timedelta(seconds=30))
    page_published.connect(failing_receiver)
    try:
        with caplog.at_level(logging.ERROR, logger="redaktion.desk"):
            run = schedule_run()
    finally:
        page_published.disconnect(failing_receiver)

    assert fresh(fine).live
    # Rolled back and still due, so the next run retries it.
    broken = fresh(broken)
    assert not broken.live
    assert broken.scheduled_revision is not None
    assert (run.published, run.failed) == (1, 1)
    assert [r.levelno for r in caplog.records if r.name == "redaktion.desk"] == [logging.ERROR]
    assert SchedulerHeartbeat.objects.get().failed == 1


def test_each_run_leaves_a_heartbeat(clock, politik):
    clock.move_to(TEN)
    schedule_run()
    clock.move_to(TEN + timedelta(minutes=1))
    schedule_run()

    heartbeat = SchedulerHeartbeat.objects.get()
    assert heartbeat.last_run_at == TEN + timedelta(minutes=1)
    assert heartbeat.host


def test_cannot_run_ahead_of_the_clock(clock):
    with pytest.raises(ValueError):
        schedule_run(now=TEN + timedelta(days=1))
