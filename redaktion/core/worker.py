"""The scheduler half of ``redaktion worker``: sends ``scheduler_ran`` at once and then every
interval, in its own thread beside the task worker, until it is told to stop.

The worker knows no app: each app connects its periodic work to ``scheduler_ran`` in its
``ready()`` (the desk publishes what is due, notifications enqueues due digests), and the
receivers run in the order the apps connected them, that of ``INSTALLED_APPS``.
"""

import logging
import threading

from django.db import close_old_connections, connection
from django.dispatch import Signal

logger = logging.getLogger("redaktion.core")

# Sent at every scheduler run. A receiver does its app's periodic work or enqueues it, and
# may return a one-line report for `redaktion worker --once`; one that raises is logged and
# does not keep the others from running.
scheduler_ran = Signal()


def _name(receiver) -> str:
    return f"{receiver.__module__}.{receiver.__qualname__}"


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

    def run_once(self) -> list[str] | None:
        """One scheduler run: sends ``scheduler_ran`` and returns the receivers' reports in
        their order, or None when one of them failed (e.g. no database); each failure is
        logged, and the receiver is called again at the next interval."""
        reports = []
        failed = False
        for receiver, response in scheduler_ran.send_robust(sender=self.__class__):
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
