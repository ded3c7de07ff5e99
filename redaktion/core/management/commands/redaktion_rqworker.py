"""``redaktion rqworker``: an RQ worker for the Redis task backend (``TASK_BACKEND=rq``) that
runs django-tasks jobs and outlives Redis outages.

django-rq's own ``rqworker`` runs RQ's plain job class, which cannot call a django-tasks
``Task`` (every job fails with "'Task' object is not callable"), and quits for good when Redis
drops while a job runs. This command runs django-tasks-rq's job class, and when the worker
loses Redis it waits (1 s, doubling up to ``RQ_RECONNECT_MAX_SECONDS``) and starts a fresh
worker on the same queues. The job that was running when Redis dropped finishes in its work
horse; its result cannot be recorded, and whether it runs again is the queue's business
(RQ's registries, ``docs/operations.md``). Tasks are written to be safe to run twice.
"""

import logging
import time

import redis
from django.conf import settings
from django.core.management.base import BaseCommand
from django_rq.utils import reset_db_connections
from django_rq.workers import get_worker
from django_tasks_rq import Job
from rq import Worker
from rq.logutils import setup_loghandlers

logger = logging.getLogger("redaktion.core")


class StoppableWorker(Worker):
    """RQ's forking worker that remembers a stop request (Ctrl-C, SIGTERM), so the command
    tells "asked to stop" from "lost Redis" when the work loop returns."""

    stop_requested = False

    def request_stop(self, signum, frame):
        self.stop_requested = True
        super().request_stop(signum, frame)


class Command(BaseCommand):
    help = (
        "Run an RQ worker for the Redis task backend on the given queues (default: all); it "
        "reconnects when Redis goes away. Stop it with Ctrl-C or SIGTERM."
    )

    def add_arguments(self, parser):
        parser.add_argument("queues", nargs="*", help="Queue names (default: every RQ queue).")
        parser.add_argument("--burst", action="store_true", help="Run the queued jobs, then exit.")
        parser.add_argument("--name", default=None, help="Worker name (default: RQ's own).")

    def handle(self, *queues, burst, name, verbosity, **options):
        level = {0: "WARNING", 1: "INFO"}.get(verbosity, "DEBUG")
        setup_loghandlers(level)
        queues = queues or list(settings.RQ_QUEUES)
        wait = 1.0
        while True:
            worker = None
            try:
                worker = get_worker(*queues, job_class=Job, worker_class=StoppableWorker, name=name)
                # The work horse forks: it must not share the parent's database connection.
                reset_db_connections()
                # With RQ's scheduler, deferred tasks (run_after: a mail's retry) fall due;
                # RQ lets one worker at a time hold the scheduler lock.
                worker.work(burst=burst, with_scheduler=True, logging_level=level)
            except redis.exceptions.RedisError as error:
                # Raised outside RQ's work loop: at start-up, or while the worker records its
                # own end after the connection dropped.
                logger.warning("RQ worker lost Redis: %s", error)
            if worker is not None and (worker.stop_requested or burst):
                return
            if self._redis_answers(worker):
                wait = 1.0
            else:
                logger.warning("Redis is unreachable; starting the worker again in %.0f s", wait)
            time.sleep(wait)
            wait = min(wait * 2, settings.RQ_RECONNECT_MAX_SECONDS)

    @staticmethod
    def _redis_answers(worker) -> bool:
        if worker is None:
            return False
        try:
            return bool(worker.connection.ping())
        except redis.exceptions.RedisError:
            return False
