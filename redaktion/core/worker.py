"""The scheduler half of ``redaktion worker``, in its own thread beside the task worker.

Two kinds of work:

* **periodic**: ``scheduler_ran`` is sent at once (catching up on whatever fell due while
  nothing ran) and then every ``interval`` seconds. Each app connects its periodic work to it
  in its ``ready()`` (the desk publishes what is due, notifications enqueues due digests), and
  the receivers run in the order the apps connected them, that of ``INSTALLED_APPS``;
* **timed**: work due at a moment of its own (a scheduled go-live to the second). An app
  registers it with ``register_timed_work``: when it falls due next, and what runs then. The
  loop sleeps until the earliest due time (or the next periodic run, whichever comes first)
  and runs it then. Whoever sets, changes or cancels such a time calls ``timed_work_changed``
  in its transaction: on PostgreSQL that is a ``NOTIFY`` on ``SCHEDULE_CHANNEL``, delivered
  when the transaction commits, and the loop (which ``LISTEN``\\s on a connection of its own)
  wakes at once to read the next due time again. Other databases have no notifications: there
  the loop reads the next due time again every ``poll`` seconds, one indexed query.

The loop reads the clock with ``timezone.now()``; the timed work itself decides what is due
by the clock again, so a wake-up that comes early never makes it run anything early.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import DEFAULT_DB_ALIAS, close_old_connections, connection, connections
from django.dispatch import Signal
from django.utils import timezone

try:
    import psycopg
except ImportError:  # installed with the postgres extra only
    psycopg = None

logger = logging.getLogger("redaktion.core")

# Sent at every periodic scheduler run, with ``deadline``: the next due time of the timed
# work (or None), which long periodic work should not run past. A receiver does its app's
# periodic work or enqueues it, and may return a one-line report for `redaktion worker
# --once`; one that raises is logged and does not keep the others from running.
scheduler_ran = Signal()

# The PostgreSQL channel on which a changed due time is announced.
SCHEDULE_CHANNEL = "redaktion_schedule"
# Seconds between two readings of the next due time where there are no notifications.
DEFAULT_POLL = 1.0
# Seconds before a lost PostgreSQL listener is connected again (polling meanwhile).
RECONNECT_SECONDS = 5.0


@dataclass(frozen=True)
class TimedWork:
    """``next_due(after)``: the earliest time after ``after`` at which the work falls due,
    or None; ``run()``: does what is due now (by its own reading of the clock) and may
    return a report."""

    name: str
    next_due: Callable[[datetime], datetime | None]
    run: Callable[[], object]


_timed: dict[str, TimedWork] = {}


def register_timed_work(
    name: str, *, next_due: Callable[[datetime], datetime | None], run: Callable[[], object]
) -> None:
    """Registers timed work under ``name`` (dotted, unique); registering the name again
    replaces it (apps register in ``ready()``)."""
    _timed[name] = TimedWork(name=name, next_due=next_due, run=run)


def timed_work_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Tells the waiting schedulers that a due time was set, changed or cancelled.

    On PostgreSQL a ``NOTIFY`` in the caller's transaction: delivered only if it commits, and
    once however often a transaction sends it. Elsewhere nothing: the loop polls."""
    conn = connections[using]
    if conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            cursor.execute(f"NOTIFY {SCHEDULE_CHANNEL}")


def _name(receiver) -> str:
    return f"{receiver.__module__}.{receiver.__qualname__}"


class PollWakeup:
    """Waits for the timeout, or until ``interrupt()``; never longer than ``poll`` seconds,
    so that the loop reads the next due time again at least that often."""

    def __init__(self, *, poll: float):
        self.poll = poll
        self._interrupted = threading.Event()

    def wait(self, timeout: float) -> bool:
        """Waits; True when interrupted (the loop should look again at once)."""
        woken = self._interrupted.wait(max(0.0, min(timeout, self.poll)))
        self._interrupted.clear()
        return woken

    def interrupt(self) -> None:
        self._interrupted.set()

    def close(self) -> None:
        pass


class PostgresWakeup:
    """``LISTEN`` on ``SCHEDULE_CHANNEL`` on a connection of its own (autocommit, outside the
    ORM, which may close its connections between runs). Waits for the timeout, a
    notification or ``interrupt()``. A lost connection is connected again after
    ``RECONNECT_SECONDS``, and the wait then says it was woken: what changed meanwhile was
    not heard, so the loop must read the next due time again."""

    def __init__(self, *, using: str = DEFAULT_DB_ALIAS):
        self.using = using
        self._conn = None
        self._retry_at: datetime | None = None
        self._pipe_r, self._pipe_w = os.pipe()
        self._listen()

    def _listen(self) -> bool:
        params = connections[self.using].get_connection_params()
        try:
            self._conn = psycopg.connect(**params, autocommit=True)
            self._conn.execute(f"LISTEN {SCHEDULE_CHANNEL}")
        except psycopg.Error:
            logger.warning("Cannot listen for schedule changes; polling", exc_info=True)
            self._drop()
            return False
        return True

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
        self._conn = None
        self._retry_at = timezone.now() + timedelta(seconds=RECONNECT_SECONDS)

    def wait(self, timeout: float) -> bool:
        if self._conn is None:
            if timezone.now() >= self._retry_at and self._listen():
                return True
            timeout = min(timeout, DEFAULT_POLL)
        fds = [self._pipe_r] + ([self._conn.fileno()] if self._conn is not None else [])
        ready, _, _ = select.select(fds, [], [], max(0.0, timeout))
        if self._pipe_r in ready:
            os.read(self._pipe_r, 512)
            return True
        if not ready:
            return False
        try:
            heard = list(self._conn.notifies(timeout=0))
        except Exception:
            logger.warning("Lost the schedule listener; connecting again", exc_info=True)
            self._drop()
            return True
        return bool(heard)

    def interrupt(self) -> None:
        # The loop may have closed the pipe already, on its way out.
        with contextlib.suppress(OSError):
            os.write(self._pipe_w, b"x")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        for fd in (self._pipe_r, self._pipe_w):
            os.close(fd)


def wakeup_for(*, poll: float, using: str = DEFAULT_DB_ALIAS):
    """The wake-up for the database: notifications on PostgreSQL, else polling."""
    if connections[using].vendor == "postgresql":
        return PostgresWakeup(using=using)
    return PollWakeup(poll=poll)


class SchedulerLoop:
    """Runs the periodic work at once, then every ``interval`` seconds, and the timed work
    whenever it falls due in between, until ``stop()``; ``stop()`` lets a run in progress
    finish. ``poll``: seconds between readings of the next due time without notifications."""

    def __init__(self, *, interval: float, poll: float = DEFAULT_POLL):
        self.interval = interval
        self.poll = poll
        self.stopped = threading.Event()
        self.wakeup = None
        self._next_run_at: datetime | None = None
        # Timed work due at or before this ran already (or failed, and is retried by the
        # periodic run): the loop waits only for later due times, so a failure cannot spin.
        self._done_until: datetime | None = None

    def stop(self) -> None:
        self.stopped.set()
        if self.wakeup is not None:
            self.wakeup.interrupt()

    def run(self) -> None:
        try:
            self.wakeup = wakeup_for(poll=self.poll)
            while not self.stopped.is_set():
                # As around a request: drop a connection that broke or outlived
                # CONN_MAX_AGE while the loop slept.
                close_old_connections()
                timeout = self.step()
                if not self.stopped.is_set():
                    self.wakeup.wait(timeout)
        finally:
            wakeup, self.wakeup = self.wakeup, None
            if wakeup is not None:
                wakeup.close()
            # The loop runs in a thread of its own, whose connection nobody else closes.
            connection.close()

    def step(self) -> float:
        """One pass: the periodic run when its time has come (at once the first time), else
        the timed work whose due time has come. Returns the seconds until the next due time
        or the next periodic run, whichever is sooner (0 when one is due already)."""
        now = timezone.now()
        if self._next_run_at is None or now >= self._next_run_at:
            self.run_once()
            self._next_run_at = now + timedelta(seconds=self.interval)
            self._done_until = now
        else:
            due = self.next_due()
            if due is not None and due <= now:
                self.run_timed()
                self._done_until = now
        due = self.next_due()
        wake_at = self._next_run_at if due is None else min(due, self._next_run_at)
        return max(0.0, (wake_at - timezone.now()).total_seconds())

    def next_due(self) -> datetime | None:
        """The earliest due time of the timed work after the last run; None when none is
        planned (or it cannot be read: the periodic run then retries)."""
        after = self._done_until or timezone.now()
        times = []
        for work in list(_timed.values()):
            try:
                due = work.next_due(after)
            except Exception:
                logger.error("Reading when %s falls due failed", work.name, exc_info=True)
                continue
            if due is not None:
                times.append(due)
        return min(times, default=None)

    def run_timed(self) -> None:
        """Runs every timed work; one that raises is logged and does not stop the others."""
        for work in list(_timed.values()):
            try:
                work.run()
            except Exception:
                logger.error("Timed work %s failed", work.name, exc_info=True)

    def run_once(self) -> list[str] | None:
        """One periodic run: sends ``scheduler_ran`` and returns the receivers' reports in
        their order, or None when one of them failed (e.g. no database); each failure is
        logged, and the receiver is called again at the next interval."""
        reports = []
        failed = False
        # Long periodic work (draining a backlog) stops starting new pieces at this time.
        deadline = self.next_due()
        for receiver, response in scheduler_ran.send_robust(
            sender=self.__class__, deadline=deadline
        ):
            if isinstance(response, Exception):
                failed = True
                logger.error(
                    "Periodic work %s failed; retrying in %s seconds",
                    _name(receiver),
                    self.interval,
                    exc_info=response,
                )
            elif response is not None:
                reports.append(str(response))
        return None if failed else reports
