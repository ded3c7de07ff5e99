"""The scheduler half of ``redaktion worker``: calls ``schedule_run`` now and then every
interval, in its own thread beside the task worker, until it is told to stop."""

import logging
import threading

from django.db import close_old_connections, connection
from django.dispatch import Signal

from .services import ScheduleRun, schedule_run

logger = logging.getLogger("redaktion.desk")

# Sent after every scheduler run, so other apps can hook periodic work (due digests) into
# the worker's minute; receivers should only enqueue tasks.
scheduler_ran = Signal()


class SchedulerLoop:
    """Runs the scheduler at once (catching up on whatever fell due while nothing ran), then
    every ``interval`` seconds until ``stop()``; ``stop()`` lets a run in progress finish."""

    def __init__(self, *, interval: float):
        self.interval = interval
        self.stopped = threading.Event()

    def stop(self) -> None:
        self.stopped.set()

    def run(self) -> None:
        try:
            while not self.stopped.is_set():
                # As around a request: drop a connection that broke or outlived
                # CONN_MAX_AGE while the loop slept.
                close_old_connections()
                self.run_once()
                self.stopped.wait(self.interval)
        finally:
            # The loop runs in a thread of its own, whose connection nobody else closes.
            connection.close()

    def run_once(self) -> ScheduleRun | None:
        """One scheduler run; returns None when it failed as a whole (e.g. no database),
        which is logged and retried at the next interval."""
        try:
            result = schedule_run()
        except Exception:
            logger.exception("Scheduler run failed; retrying in %s seconds", self.interval)
            return None
        try:
            scheduler_ran.send(sender=self.__class__)
        except Exception:
            logger.exception("A periodic task could not be enqueued")
        if result.published or result.unpublished or result.missed or result.failed:
            logger.info(
                "Scheduler: %d published, %d unpublished, %d missed, %d late, %d failed",
                result.published,
                result.unpublished,
                result.missed,
                len(result.late),
                result.failed,
            )
        return result
