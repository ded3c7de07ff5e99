"""The outbox: written with the change, drained in order, retried with backoff, taken over
after a dead worker's lease, failed for good after MAX_ATTEMPTS, retried by hand."""

import logging
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone, translation
from django_tasks.base import TASK_MAX_PRIORITY

from redaktion.core import outbox, tasks
from redaktion.core.models import OutboxEntry
from redaktion.core.signals import scheduler_ticked

pytestmark = pytest.mark.django_db

TOPIC = "test"


class Boom(Exception):
    pass


@pytest.fixture
def ran(monkeypatch):
    """Registers three steps of topic ``test`` (one per stage) that log what they ran; the
    registry is restored after the test."""
    monkeypatch.setattr(outbox, "_steps", dict(outbox._steps))
    calls = []

    def step(name):
        def run(payload):
            calls.append((name, payload["n"]))

        return run

    outbox.register_step(TOPIC, "test.purge", step("purge"), outbox.PURGE)
    outbox.register_step(TOPIC, "test.announce", step("announce"), outbox.ANNOUNCE)
    outbox.register_step(TOPIC, "test.derived", step("derived"), outbox.DERIVED)
    return calls


def replace_step(name, func, stage=outbox.DERIVED):
    outbox.register_step(TOPIC, name, func, stage)


def test_recording_writes_one_entry_per_step_in_the_callers_transaction(ran):
    entries = outbox.outbox_record(TOPIC, "a-1", {"n": 1}, nudge=False)
    assert [e.step for e in entries] == ["test.derived", "test.announce", "test.purge"]
    assert len({e.event for e in entries}) == 1
    with pytest.raises(Boom), transaction.atomic():
        outbox.outbox_record(TOPIC, "a-2", {"n": 2}, nudge=False)
        raise Boom
    assert OutboxEntry.objects.count() == 3
    assert outbox.outbox_record("nobody-listens", "x", {}) == []


def test_steps_run_derived_then_announce_then_purge_and_events_of_a_subject_in_order(ran):
    outbox.outbox_record(TOPIC, "a-1", {"n": 1}, nudge=False)
    outbox.outbox_record(TOPIC, "a-1", {"n": 2}, nudge=False)
    outbox.outbox_record(TOPIC, "b-1", {"n": 3}, nudge=False)
    assert outbox.outbox_drain().done == 9
    first = [call for call in ran if call[1] in (1, 2)]
    assert first == [
        ("derived", 1),
        ("announce", 1),
        ("purge", 1),
        ("derived", 2),
        ("announce", 2),
        ("purge", 2),
    ]
    assert [call for call in ran if call[1] == 3] == [("derived", 3), ("announce", 3), ("purge", 3)]
    assert not OutboxEntry.objects.exclude(state="done").exists()
    assert outbox.outbox_drain().done == 0


def test_a_waiting_step_holds_back_the_later_stages_of_its_subject_only(ran):
    def failing(payload):
        if payload["n"] == 1:
            raise Boom("Index nicht erreichbar")

    replace_step("test.derived", failing)
    outbox.outbox_record(TOPIC, "a-1", {"n": 1}, nudge=False)
    outbox.outbox_record(TOPIC, "b-1", {"n": 2}, nudge=False)
    report = outbox.outbox_drain()
    assert (report.done, report.retried) == (3, 1)
    assert ran == [("announce", 2), ("purge", 2)]
    assert set(OutboxEntry.objects.filter(subject="a-1").values_list("step", "state")) == {
        ("test.derived", "pending"),
        ("test.announce", "pending"),
        ("test.purge", "pending"),
    }


def test_a_failing_step_backs_off_doubling_then_fails_with_its_error(ran):
    attempts = []

    def failing(payload):
        attempts.append(timezone.now())
        raise Boom("Suchindex antwortet nicht")

    replace_step("test.derived", failing)
    [entry, *_] = outbox.outbox_record(TOPIC, "a-1", {"n": 1}, nudge=False)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
            last = outbox.outbox_drain()
            entry.refresh_from_db()
            assert entry.attempts == attempt
            assert "Suchindex antwortet nicht" in entry.last_error
            if attempt < outbox.MAX_ATTEMPTS:
                delay = min(15 * 2 ** (attempt - 1), 3600)
                assert entry.state == "pending"
                assert entry.available_at == timezone.now() + timedelta(seconds=delay)
                outbox.outbox_drain()  # not due yet: nothing runs
                assert len(attempts) == attempt
                clock.shift(timedelta(seconds=delay))
    assert len(attempts) == outbox.MAX_ATTEMPTS
    assert entry.state == "failed"
    assert "Traceback" in entry.last_error
    # The later stages waited for every retry; once it is given up, they go on.
    assert (last.failed, last.done) == (1, 2)
    assert ran == [("announce", 1), ("purge", 1)]
    status = outbox.outbox_status()
    assert (status.failed, status.backlog) == (1, 0)
    assert "Suchindex antwortet nicht" in status.last_error


def test_retry_makes_a_failed_entry_due_with_fresh_attempts(ran):
    [entry, *_] = outbox.outbox_record(TOPIC, "a-1", {"n": 1}, nudge=False)
    OutboxEntry.objects.filter(pk=entry.pk).update(
        state="failed", attempts=outbox.MAX_ATTEMPTS, last_error="Boom"
    )
    done = OutboxEntry.objects.create(
        topic=TOPIC,
        subject="c",
        event=entry.event,
        payload={},
        step="test.derived",
        stage=10,
        state="done",
        available_at=timezone.now(),
        created_at=timezone.now(),
    )
    assert outbox.outbox_retry([entry.pk, done.pk]) == 1
    entry.refresh_from_db()
    assert (entry.state, entry.attempts) == ("pending", 0)
    assert outbox.outbox_drain().done == 3
    assert ran == [("derived", 1), ("announce", 1), ("purge", 1)]


def test_a_dead_workers_entry_is_taken_over_after_its_lease(ran, settings):
    settings.OUTBOX_LEASE = 30
    outbox.outbox_record(TOPIC, "a-1", {"n": 1}, nudge=False)
    dead = outbox._claim(timezone.now())  # claimed by a worker that then died
    assert dead.step == "test.derived"
    assert outbox.outbox_drain().done == 0  # its lease holds, and the rest waits for it
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        assert outbox.outbox_drain().done == 3
    assert ran == [("derived", 1), ("announce", 1), ("purge", 1)]
    dead.refresh_from_db()
    assert (dead.state, dead.attempts) == ("done", 2)


def test_a_step_whose_lease_was_taken_over_leaves_nothing(ran, settings):
    settings.OUTBOX_LEASE = 30
    [entry, *_] = outbox.outbox_record(TOPIC, "a-1", {"n": 1}, nudge=False)

    def slow(payload):
        OutboxEntry.objects.create(
            topic=TOPIC,
            subject="written-by-the-step",
            event=entry.event,
            payload={},
            step="x",
            stage=10,
            available_at=timezone.now(),
            created_at=timezone.now(),
            state="done",
        )
        # Meanwhile the lease expired and another worker claimed the entry.
        OutboxEntry.objects.filter(pk=entry.pk).update(
            leased_until=timezone.now() + timedelta(minutes=5)
        )

    replace_step("test.derived", slow)
    outbox.outbox_drain(limit=1)
    assert not OutboxEntry.objects.filter(subject="written-by-the-step").exists()


def test_a_worker_dying_every_time_fails_the_entry(ran, settings):
    settings.OUTBOX_LEASE = 1
    [entry, *_] = outbox.outbox_record(TOPIC, "a-1", {"n": 1}, nudge=False)
    now = timezone.now()
    for attempt in range(outbox.MAX_ATTEMPTS):
        assert outbox._claim(now + timedelta(seconds=2 * attempt)).pk == entry.pk
    with time_machine.travel(now + timedelta(seconds=2 * outbox.MAX_ATTEMPTS + 2)):
        assert outbox.outbox_drain(limit=1).failed == 1
    entry.refresh_from_db()
    assert entry.state == "failed"
    assert "stopped" in entry.last_error


def test_keys_a_step_returns_reach_the_purge_of_its_event(ran, monkeypatch):
    seen = []
    replace_step("test.derived", lambda payload: {"page-7", "page-9"})
    replace_step("test.purge", lambda payload: seen.append(payload), outbox.PURGE)
    outbox.outbox_record(TOPIC, "a-1", {"n": 1}, nudge=False)
    outbox.outbox_record(TOPIC, "a-2", {"n": 2}, nudge=False)
    outbox.outbox_drain()
    assert seen == [
        {"n": 1, outbox.EXTRA_KEYS: ["page-7", "page-9"]},
        {"n": 2, outbox.EXTRA_KEYS: ["page-7", "page-9"]},
    ]


def test_a_step_that_fails_after_writing_leaves_nothing_written(ran):
    def half(payload):
        OutboxEntry.objects.filter(step="test.purge").update(payload={"n": 99})
        raise Boom

    replace_step("test.derived", half)
    outbox.outbox_record(TOPIC, "a-1", {"n": 1}, nudge=False)
    outbox.outbox_drain()
    assert OutboxEntry.objects.get(step="test.purge").payload == {"n": 1}


def test_the_nudge_drains_after_commit_and_a_queue_that_is_down_loses_nothing(
    ran, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.outbox_record(TOPIC, "a-1", {"n": 1})
    assert ran == [("derived", 1), ("announce", 1), ("purge", 1)]

    with (
        mock.patch("redaktion.core.tasks.drain_outbox") as drain_task,
        caplog.at_level(logging.WARNING, logger="redaktion.core"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        drain_task.using.return_value.enqueue.side_effect = ConnectionError("Redis weg")
        outbox.outbox_record(TOPIC, "a-2", {"n": 2})
    assert drain_task.using.return_value.enqueue.called
    assert "Could not enqueue the outbox drain" in caplog.text
    assert OutboxEntry.objects.filter(state="pending").count() == 3
    with translation.override("en"):
        assert scheduler_ticked(sender=None) == "Outbox: 3 done, 0 to retry, 0 failed"
    assert ran[3:] == [("derived", 2), ("announce", 2), ("purge", 2)]


def test_a_recorded_event_is_drained_ahead_of_the_backlog_first_in_the_queue(
    ran, django_capture_on_commit_callbacks
):
    """The desk's publish must not wait behind a reconciliation's repairs: its nudge drains
    its own subject, first in the task queue."""
    for n in range(1, 4):
        outbox.outbox_record(TOPIC, f"b-{n}", {"n": n}, nudge=False)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.outbox_record(TOPIC, "a-1", {"n": 9})
    assert ran == [("derived", 9), ("announce", 9), ("purge", 9)]
    assert OutboxEntry.objects.filter(state="pending").count() == 9

    with (
        mock.patch("redaktion.core.tasks.drain_outbox") as drain_task,
        django_capture_on_commit_callbacks(execute=True),
    ):
        outbox.outbox_record(TOPIC, "a-1", {"n": 10})
    drain_task.using.assert_called_once_with(priority=TASK_MAX_PRIORITY)
    drain_task.using.return_value.enqueue.assert_called_once_with(subjects=["a-1"])


def test_a_batch_is_nudged_once_and_drained_a_batch_at_a_time(
    ran, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(tasks, "BACKLOG_BATCH", 4)
    drains = []
    drain = outbox.outbox_drain

    def counted(**kwargs):
        drains.append(kwargs)
        return drain(**kwargs)

    monkeypatch.setattr(outbox, "outbox_drain", counted)
    with (
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
        outbox.outbox_batch(),
    ):
        for n in range(1, 4):
            outbox.outbox_record(TOPIC, f"b-{n}", {"n": n})
    # 9 entries, 4 a drain: one nudge; its drain enqueues the second, that one the third,
    # which finds fewer than a batch and stops.
    assert drains == [{"limit": 4}] * 3
    assert len(ran) == 9
    assert not OutboxEntry.objects.exclude(state="done").exists()


def test_prune_deletes_done_entries_past_the_age(ran):
    outbox.outbox_record(TOPIC, "a-1", {"n": 1}, nudge=False)
    outbox.outbox_drain()
    outbox.outbox_record(TOPIC, "a-2", {"n": 2}, nudge=False)
    assert outbox.outbox_prune(older_than=timedelta(days=7)) == 0
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert outbox.outbox_prune(older_than=timedelta(days=7)) == 3
    assert OutboxEntry.objects.count() == 3


def test_status_reads_four_queries(ran, django_assert_num_queries):
    with time_machine.travel(timezone.now() - timedelta(minutes=10)):
        outbox.outbox_record(TOPIC, "a-1", {"n": 1}, nudge=False)
    with django_assert_num_queries(4):
        status = outbox.outbox_status()
    assert status.backlog == 3
    assert timedelta(minutes=10) <= status.oldest_pending_age < timedelta(minutes=11)
    assert (status.failed, status.last_error) == (0, "")


def test_a_drain_until_a_time_starts_no_entry_at_or_after_it(ran):
    outbox.outbox_record(TOPIC, "a-1", {"n": 1}, nudge=False)
    with time_machine.travel(timezone.now() + timedelta(seconds=1), tick=False):
        until = timezone.now()
        assert outbox.outbox_drain(until=until).done == 0
        assert ran == []
        assert outbox.outbox_drain(until=until + timedelta(microseconds=1)).done == 3


def test_the_chain_recorded_since_a_time_is_drained_ahead_of_the_backlog(ran):
    backlog = outbox.outbox_record(TOPIC, "alt-1", {"n": 1}, nudge=False)
    outbox.outbox_record(TOPIC, "neu-2", {"n": 2}, nudge=False)
    since = timezone.now()
    outbox.outbox_record(TOPIC, "neu-2", {"n": 3}, nudge=False)
    outbox.outbox_record(TOPIC, "neu-4", {"n": 4}, nudge=False)

    report = outbox.outbox_drain_recorded(since=since)

    # Both subjects recorded since, the earlier event of one of them first; not the backlog.
    assert report.done == 9
    assert [n for _stage, n in ran] == [2, 2, 2, 3, 3, 3, 4, 4, 4]
    assert {e.state for e in OutboxEntry.objects.filter(subject="alt-1")} == {"pending"}
    assert [e.subject for e in backlog] == ["alt-1"] * 3
