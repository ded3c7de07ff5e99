"""The outbox: the work an event causes, written in the event's own transaction and drained
in order by the worker, so that neither Redis nor the worker being down loses any of it.

An app registers the steps it runs for a topic (``register_step``); ``outbox_record`` writes
one ``OutboxEntry`` per step of the topic inside the caller's transaction (the publish and
its consequences commit together, or neither does) and, once that commits, nudges the task
queue to drain its subject, ahead of any backlog (the desk's publish must not wait behind a
reconciliation's thousand repairs); work recorded in bulk (``outbox_batch``) gets one nudge
for the whole backlog, which drains it a batch at a time so that those nudges still go first.
A nudge that cannot be enqueued (Redis down) is only logged: the worker's scheduler drains at
every run as well.

``outbox_drain`` claims one due entry at a time with a conditional ``UPDATE`` (a lease until
``now + OUTBOX_LEASE``), so any number of workers on SQLite or PostgreSQL never run the same
entry at once, and runs its step in a transaction that also marks it done: a worker killed
mid-step leaves nothing behind, and its entry is claimed again once the lease has expired.
Order: an entry waits while an earlier entry of its subject is pending or running, of an
earlier event or of an earlier stage of the same event (derived data, then announcements,
then the purge); one that failed for good holds nothing back, so readers still get the
announcement and the purge while the failure waits on the dashboard. A step that raises
is retried after ``BACKOFF`` seconds, doubling up to ``MAX_BACKOFF``; after ``MAX_ATTEMPTS``
attempts the entry is failed, with the tail of its traceback, until someone retries it
(``outbox_retry``; the admin's pipeline page).

Why our own table rather than the task queue alone: a task queue holds work only as long as
its broker does (a Redis restart loses it) and none of django-tasks' backends retries a task
whose worker died; the outbox lives in the database the publish wrote to.
"""

from __future__ import annotations

import logging
import traceback
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks.base import TASK_MAX_PRIORITY

from . import tasks
from .models import OutboxEntry
from .switches import ThreadSwitch

logger = logging.getLogger("redaktion.core")

# Stages: derived data (search entry, related lists) before announcements before the purge.
DERIVED = 10
ANNOUNCE = 20
PURGE = 30

MAX_ATTEMPTS = 8
BACKOFF = 15  # seconds before the first retry, doubling after each failure
MAX_BACKOFF = 3600
DEFAULT_LEASE = 300  # seconds a claimed entry is its worker's; OUTBOX_LEASE overrides
ERROR_TAIL = 4000  # characters of a traceback kept in ``last_error``

# The payload key under which earlier steps of an event hand surrogate keys to its purge.
EXTRA_KEYS = "extra_keys"

State = OutboxEntry.State
UNFINISHED = (State.PENDING, State.RUNNING)

# A step takes the entry's payload and may return surrogate keys that the purge of the same
# event must also purge (e.g. the pages whose "Mehr zum Thema" it rewrote).
StepFunc = Callable[[dict], Iterable[str] | None]
# Called when the event is recorded, in its transaction: what the step will need that may be
# gone by the time it runs (the rows a deletion cascades away), added to its payload.
PrepareFunc = Callable[[dict], dict]


@dataclass(frozen=True)
class Step:
    topic: str
    name: str
    func: StepFunc
    stage: int
    prepare: PrepareFunc | None = None


_steps: dict[str, Step] = {}


def register_step(
    topic: str, name: str, func: StepFunc, stage: int, *, prepare: PrepareFunc | None = None
) -> None:
    """Registers ``func`` as step ``name`` (a dotted name, unique) of every event of
    ``topic``, with ``prepare`` to run when an event is recorded; registering the same name
    again replaces it (apps register in ``ready()``)."""
    _steps[name] = Step(topic=topic, name=name, func=func, stage=stage, prepare=prepare)


def steps_of(topic: str) -> list[Step]:
    """The registered steps of ``topic`` by stage, then name."""
    return sorted((s for s in _steps.values() if s.topic == topic), key=lambda s: (s.stage, s.name))


def outbox_record(
    topic: str, subject: str, payload: dict, *, nudge: bool = True
) -> list[OutboxEntry]:
    """Writes one pending entry per registered step of ``topic``, sharing one event id, in
    the caller's transaction; after it commits, enqueues a drain unless ``nudge`` is False.
    Returns the entries (none when no step is registered for the topic)."""
    now = timezone.now()
    event = uuid.uuid4()
    entries = OutboxEntry.objects.bulk_create(
        OutboxEntry(
            topic=topic,
            subject=subject,
            event=event,
            payload={**payload, **step.prepare(payload)} if step.prepare else payload,
            step=step.name,
            stage=step.stage,
            available_at=now,
            created_at=now,
        )
        for step in steps_of(topic)
    )
    if entries and nudge and not _batch.on:
        transaction.on_commit(lambda: outbox_nudge(subjects=[subject]))
    return entries


_batch = ThreadSwitch()


@contextmanager
def outbox_batch() -> Iterator[None]:
    """Within, this thread's ``outbox_record`` does not nudge per entry; at the end, once
    the transaction commits, one nudge drains the whole backlog a batch at a time. For work
    recorded by the thousand (the reconciliation), which must not go ahead of the desk."""
    with _batch.turned_on() as nested:
        yield
    if not nested:
        transaction.on_commit(outbox_nudge)


def outbox_nudge(subjects: Collection[str] | None = None) -> None:
    """Enqueues a drain: of ``subjects`` first in the queue (their event was just
    recorded), or of every due entry. When the queue is unreachable the entries still wait
    in the database, and the scheduler drains them within a minute: logged, never raised."""
    try:
        if subjects:
            task = tasks.drain_outbox.using(priority=TASK_MAX_PRIORITY)
            task.enqueue(subjects=sorted(subjects))
        else:
            tasks.drain_outbox.enqueue()
    except Exception:
        logger.warning("Could not enqueue the outbox drain; the scheduler drains it", exc_info=True)


@dataclass
class DrainReport:
    done: int = 0
    retried: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return gettext("Outbox: %(done)d done, %(retried)d to retry, %(failed)d failed") % {
            "done": self.done,
            "retried": self.retried,
            "failed": self.failed,
        }


def lease_seconds() -> float:
    return getattr(settings, "OUTBOX_LEASE", DEFAULT_LEASE)


def _due(now: datetime) -> Q:
    return Q(state=State.PENDING, available_at__lte=now) | Q(
        state=State.RUNNING, leased_until__lt=now
    )


def _blocked() -> Exists:
    """An unfinished entry of the same subject that must run first: of an earlier event, or
    of an earlier stage of the same event."""
    earlier = OutboxEntry.objects.filter(subject=OuterRef("subject"), state__in=UNFINISHED).filter(
        Q(event=OuterRef("event"), stage__lt=OuterRef("stage"))
        | (~Q(event=OuterRef("event")) & Q(id__lt=OuterRef("id")))
    )
    return Exists(earlier)


def _claim(now: datetime, subjects: Collection[str] | None = None) -> OutboxEntry | None:
    """The next due entry (of ``subjects`` if given) that nothing blocks, leased to this
    worker; None when none is."""
    due = OutboxEntry.objects.filter(_due(now))
    if subjects is not None:
        due = due.filter(subject__in=list(subjects))
    candidates = due.filter(~_blocked()).order_by("id").values_list("id", flat=True)[:10]
    lease = now + timedelta(seconds=lease_seconds())
    for pk in list(candidates):
        # The condition is checked again in the UPDATE: of two workers only one gets the row.
        claimed = (
            OutboxEntry.objects.filter(_due(now), pk=pk)
            .filter(~_blocked())
            .update(state=State.RUNNING, leased_until=lease, attempts=F("attempts") + 1)
        )
        if claimed:
            return OutboxEntry.objects.get(pk=pk)
    return None


def _add_purge_keys(entry: OutboxEntry, purge_keys: Iterable[str]) -> None:
    """Adds ``purge_keys`` to the payloads of the unfinished purge entries of ``entry``'s
    event (they wait for this one, so none of them runs meanwhile)."""
    wanted = set(purge_keys)
    if not wanted:
        return
    for purge in OutboxEntry.objects.filter(
        event=entry.event, stage=PURGE, state__in=UNFINISHED
    ).exclude(pk=entry.pk):
        purge.payload = {
            **purge.payload,
            EXTRA_KEYS: sorted(wanted | set(purge.payload.get(EXTRA_KEYS, []))),
        }
        purge.save(update_fields=["payload"])


class LeaseLost(Exception):
    """Another worker claimed the entry after this one's lease expired: this run's work is
    rolled back, the other run's counts."""


def _run(entry: OutboxEntry) -> None:
    step = _steps.get(entry.step)
    if step is None:
        raise LookupError(f"No step {entry.step!r} is registered")
    with transaction.atomic():
        extra = step.func(entry.payload)
        if extra:
            _add_purge_keys(entry, extra)
        finished = OutboxEntry.objects.filter(
            pk=entry.pk, state=State.RUNNING, leased_until=entry.leased_until
        ).update(state=State.DONE, finished_at=timezone.now(), leased_until=None, last_error="")
        if not finished:
            raise LeaseLost(entry.pk)


def _fail(entry: OutboxEntry, error: str, now: datetime) -> bool:
    """Records a failed attempt: back to pending after the backoff, or failed for good after
    ``MAX_ATTEMPTS``. Returns whether it failed for good."""
    final = entry.attempts >= MAX_ATTEMPTS
    delay = min(BACKOFF * 2 ** max(entry.attempts - 1, 0), MAX_BACKOFF)
    OutboxEntry.objects.filter(pk=entry.pk, leased_until=entry.leased_until).update(
        state=State.FAILED if final else State.PENDING,
        available_at=now if final else now + timedelta(seconds=delay),
        leased_until=None,
        last_error=error[-ERROR_TAIL:],
        finished_at=now if final else None,
    )
    return final


def outbox_drain(
    *,
    limit: int = 500,
    subjects: Collection[str] | None = None,
    until: datetime | None = None,
) -> DrainReport:
    """Runs up to ``limit`` due entries, one at a time, each in order (see the module doc);
    only those of ``subjects`` if given, and none started at or after ``until`` (so that the
    worker's periodic drain makes way for a scheduled go-live). Safe to run in any number of
    workers at once."""
    report = DrainReport()
    for _ in range(limit):
        now = timezone.now()
        if until is not None and now >= until:
            break
        entry = _claim(now, subjects)
        if entry is None:
            break
        if entry.attempts > MAX_ATTEMPTS:
            # Claimed again after its worker died MAX_ATTEMPTS times: it is what kills them.
            error = entry.last_error or f"The worker stopped {MAX_ATTEMPTS} times during this step"
            _fail(entry, error, now)
            report.failed += 1
            continue
        try:
            _run(entry)
        except LeaseLost:
            logger.warning("Outbox entry %s was taken over after its lease expired", entry.pk)
            continue
        except Exception:
            logger.exception("Outbox step %s for %s failed", entry.step, entry.subject)
            if _fail(entry, traceback.format_exc(), timezone.now()):
                report.failed += 1
            else:
                report.retried += 1
            continue
        report.done += 1
    return report


def outbox_drain_recorded(*, since: datetime) -> DrainReport:
    """Drains the subjects of the unfinished entries recorded at or after ``since``, and of
    those their steps record in turn, ahead of any other backlog: the whole chain of what a
    scheduled go-live just set off (each subject in order, earlier events of it included).
    Stops when nothing more of it is due (a failed step waits for its retry)."""
    report = DrainReport()
    while True:
        subjects = set(
            OutboxEntry.objects.filter(created_at__gte=since, state__in=UNFINISHED).values_list(
                "subject", flat=True
            )
        )
        if not subjects:
            break
        step = outbox_drain(subjects=subjects)
        report.done += step.done
        report.retried += step.retried
        report.failed += step.failed
        if not step.done:
            break
    return report


def outbox_retry(ids: Iterable[int]) -> int:
    """Makes the failed or waiting entries of ``ids`` due now, with a fresh count of
    attempts. Returns how many it changed; running and done entries are left alone."""
    return OutboxEntry.objects.filter(
        pk__in=list(ids), state__in=(State.FAILED, State.PENDING)
    ).update(state=State.PENDING, available_at=timezone.now(), attempts=0, finished_at=None)


def outbox_prune(*, older_than: timedelta) -> int:
    """Deletes the done entries that finished more than ``older_than`` ago. Returns how many."""
    cutoff = timezone.now() - older_than
    deleted, _ = OutboxEntry.objects.filter(state=State.DONE, finished_at__lt=cutoff).delete()
    return deleted


@dataclass(frozen=True)
class OutboxStatus:
    backlog: int
    oldest_pending_at: datetime | None
    failed: int
    last_error: str

    @property
    def oldest_pending_age(self) -> timedelta | None:
        if self.oldest_pending_at is None:
            return None
        return timezone.now() - self.oldest_pending_at


def outbox_status() -> OutboxStatus:
    """Backlog (pending and running entries), when the oldest of them was written, how many
    failed, and the newest error (of a failed entry or of one waiting for its retry). Four
    queries."""
    unfinished = OutboxEntry.objects.filter(state__in=UNFINISHED)
    oldest = unfinished.order_by("created_at").values_list("created_at", flat=True).first()
    errored = (
        OutboxEntry.objects.filter(state__in=(State.FAILED, State.PENDING))
        .exclude(last_error="")
        .order_by("-id")
        .values_list("last_error", flat=True)
        .first()
    )
    return OutboxStatus(
        backlog=unfinished.count(),
        oldest_pending_at=oldest,
        failed=OutboxEntry.objects.filter(state=State.FAILED).count(),
        last_error=errored or "",
    )
