"""The desk's receivers: its set-up after every `migrate`, scheduled publishing at every run
of the worker's scheduler, and the scheduler's heartbeat as a readiness check (``/readyz``)."""

import logging

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models.signals import post_migrate
from django.dispatch import receiver
from django.utils import timezone

from redaktion.core.health import CheckResult, register_check
from redaktion.core.worker import scheduler_ran

from .selectors import scheduler_status
from .services import ScheduleRun, desk_setup, schedule_run

logger = logging.getLogger("redaktion.desk")


def _last_app_with_models() -> str:
    # post_migrate is sent once per app, in INSTALLED_APPS order, and each app's permissions
    # are created by its own signal: only the last one sees every permission in place.
    return [config for config in apps.get_app_configs() if config.models_module][-1].label


def _fully_migrated(using: str) -> bool:
    executor = MigrationExecutor(connections[using])
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


@receiver(post_migrate, dispatch_uid="redaktion.desk.desk_setup")
def set_up_desk(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """Create the desk's groups and workflow after every `migrate`, once all apps are done.

    Skipped on other databases (replicas) and after a partial migration (``migrate app 0003``),
    where the models may not match the tables yet.
    """
    if using != DEFAULT_DB_ALIAS or sender.label != _last_app_with_models():
        return
    if not _fully_migrated(using):
        logger.info("Desk setup skipped: the database is not fully migrated.")
        return
    desk_setup()


@receiver(scheduler_ran, dispatch_uid="redaktion.desk.scheduled_publishing")
def scheduled_publishing(sender, **kwargs) -> ScheduleRun:
    """Publish and unpublish what is due (``schedule_run``); the run is the report that
    ``redaktion worker --once`` prints, and it is logged when it changed anything."""
    run = schedule_run()
    if run.published or run.unpublished or run.missed or run.failed:
        logger.info(
            "Scheduler: %d published, %d unpublished, %d missed, %d late, %d failed",
            run.published,
            run.unpublished,
            run.missed,
            len(run.late),
            run.failed,
        )
    return run


def scheduler_check() -> CheckResult:
    """Readiness: the worker's scheduler ran within ``HEARTBEAT_MISSED_INTERVALS`` intervals
    (without it nothing is published on time and no follow-up work is done)."""
    status = scheduler_status()
    if not status.has_run:
        return CheckResult(False, "the scheduler has never run: start `redaktion worker`")
    if not status.is_running(now=timezone.now()):
        return CheckResult(False, f"the scheduler last ran at {status.last_run_at.isoformat()}")
    return CheckResult(True, f"last run {status.last_run_at.isoformat()}")


register_check("scheduler", scheduler_check)
