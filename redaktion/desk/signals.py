"""The desk's receivers: its set-up after every `migrate`; scheduled publishing as the worker's
timed work (at the second each go-live or expiry is due) and at every periodic run (catching
up); a wake-up for the worker whenever a schedule is set, changed or cancelled; and the
scheduler's heartbeat as a readiness check (``/readyz``)."""

import logging

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver
from django.utils import timezone
from wagtail.models import DraftStateMixin, Revision

from redaktion.core.health import CheckResult, register_check
from redaktion.core.outbox import outbox_drain_recorded
from redaktion.core.worker import register_timed_work, scheduler_ran, timed_work_changed

from .selectors import schedule_next_due, scheduler_status
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


def publish_due() -> ScheduleRun:
    """Publish and unpublish what is due (``schedule_run``), then drain what that recorded in
    the outbox at once, ahead of any backlog: the chain a go-live sets off (derived data,
    announcements, purge) runs in the same pass, not at the next drain. Logged when it
    changed anything; the run is the report."""
    started = timezone.now()
    run = schedule_run()
    if run.published or run.unpublished:
        outbox_drain_recorded(since=started)
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


@receiver(scheduler_ran, dispatch_uid="redaktion.desk.scheduled_publishing")
def scheduled_publishing(sender, **kwargs) -> ScheduleRun:
    """Every periodic run catches up on whatever is due (after downtime, or a failure)."""
    return publish_due()


register_timed_work(
    "redaktion.desk.scheduled_publishing",
    next_due=lambda after: schedule_next_due(after=after),
    run=publish_due,
)


@receiver(post_save, sender=Revision, dispatch_uid="redaktion.desk.go_live_changed")
def go_live_changed(sender, instance, update_fields=None, using=None, **kwargs):
    """A revision scheduled (``approved_go_live_at`` set) or its schedule cancelled: wake
    the worker. Wagtail's other cancellations (``update()`` when another revision is
    published or the object unpublished) send nothing; the worker then wakes at the old
    time, finds nothing due and reads the next time."""
    if instance.approved_go_live_at is not None or "approved_go_live_at" in (update_fields or ()):
        timed_work_changed(using or DEFAULT_DB_ALIAS)


@receiver(post_save, dispatch_uid="redaktion.desk.expiry_changed")
def expiry_changed(sender, instance, using=None, **kwargs):
    """A live page or snippet saved with an expiry time: wake the worker."""
    if isinstance(instance, DraftStateMixin) and instance.live and instance.expire_at:
        timed_work_changed(using or DEFAULT_DB_ALIAS)


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
