"""``redaktion worker``: the database task worker and the scheduler in one process: scheduled
publishing at the second each go-live or expiry is due, and the apps' periodic work (catching
up, digests, the outbox) every interval."""

import logging
import signal
import sys
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker, valid_interval

from redaktion.core.worker import SchedulerLoop

# Seconds the idle task worker waits before it looks for tasks again: the wait a publish's
# purge may add before Varnish serves the new headline (its budget is a second). Measured on
# SQLite, idle for 20 s: 0.9 % of a core at 1 s, 3.5 % at 0.1 s, 1.7 % at 0.25 s.
TASK_POLL_SECONDS = 0.25


class Command(BaseCommand):
    help = (
        "Run the task worker (database backend) and the publishing scheduler until stopped "
        "with Ctrl-C or SIGTERM; scheduled articles go live at the second. With another task "
        "backend only the scheduler runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run the scheduler once, process the tasks that are due, then exit (for cron).",
        )
        parser.add_argument(
            "--interval",
            type=valid_interval,
            default=settings.SCHEDULE_INTERVAL_SECONDS,
            help="Seconds between periodic scheduler runs (default: %(default)s).",
        )
        parser.add_argument(
            "--queue-name",
            default="*",
            help="Task queues to process, comma-separated; '*' for all (default: %(default)s).",
        )

    def handle(self, *, once, interval, queue_name, verbosity, **options):
        self._configure_logging(verbosity)
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        worker = None
        if isinstance(backend, DatabaseBackend):
            worker = Worker(
                queue_names=queue_name.split(","),
                interval=TASK_POLL_SECONDS,
                batch=once,
                backend_name=DEFAULT_TASK_BACKEND_ALIAS,
                startup_delay=False,
                max_tasks=None,
                worker_id=get_random_string(32),
                excluded_queue_names=[],
            )
        else:
            self.stdout.write(
                _(
                    "The task backend is %(backend)s, not the database queue: tasks run "
                    "elsewhere, and this process runs the scheduler only."
                )
                % {"backend": type(backend).__name__}
            )

        loop = SchedulerLoop(interval=interval, poll=settings.SCHEDULE_POLL_SECONDS)
        if once:
            self._run_once(loop, worker)
        elif worker is None:
            self._run_scheduler_only(loop)
        else:
            self._run_with_worker(loop, worker)

    def _run_once(self, loop, worker):
        reports = loop.run_once()
        if reports is None:
            self.stderr.write(_("The scheduler run failed; see the log."))
            sys.exit(1)
        for report in reports:
            self.stdout.write(report)
        if worker is not None:
            worker.run()

    def _run_with_worker(self, loop, worker):
        self.stdout.write(
            _(
                "Worker and scheduler started (scheduled publishing at the second, periodic "
                "work every %(interval)s seconds)."
            )
            % {"interval": loop.interval}
        )
        scheduler = threading.Thread(target=loop.run, name="redaktion-scheduler", daemon=True)
        scheduler.start()
        # The task worker owns the main thread and the signals: the first Ctrl-C or SIGTERM
        # ends it after the current task, a second one forces the exit.
        worker.configure_signals()
        try:
            worker.run()
        finally:
            loop.stop()
            scheduler.join()

    def _run_scheduler_only(self, loop):
        def shutdown(signum, frame):
            if loop.stopped.is_set():
                sys.exit(1)
            loop.stop()

        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, shutdown)
        self.stdout.write(
            _(
                "Scheduler started (scheduled publishing at the second, periodic work every "
                "%(interval)s seconds)."
            )
            % {"interval": loop.interval}
        )
        loop.run()

    def _configure_logging(self, verbosity):
        # As db_worker does: task logs at INFO by default; -v0 silences, -v2 adds DEBUG.
        # The apps' own loggers keep their LOGGING level unless a verbosity asks otherwise.
        level = {0: logging.CRITICAL, 1: logging.INFO}.get(verbosity, logging.DEBUG)
        for name in ("django_tasks", "django_tasks_db", "redaktion"):
            logger = logging.getLogger(name)
            if name != "redaktion" or verbosity != 1:
                logger.setLevel(level)
            if not logger.hasHandlers():
                logger.addHandler(logging.StreamHandler(self.stderr))
