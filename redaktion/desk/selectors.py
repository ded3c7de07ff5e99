"""Reads of the editorial desk: the publishing schedule, what is overdue, what ran late,
whether the scheduler is alive, and where a page stands in the workflow."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.utils import timezone
from wagtail.admin.utils import get_user_display_name
from wagtail.models import (
    AbstractGroupApprovalTask,
    DraftStateMixin,
    Page,
    Revision,
    Task,
    Workflow,
    WorkflowState,
)
from wagtail.permissions import policy_registry

from redaktion.news.models import RessortPage

from .models import LatePublication, SchedulerHeartbeat

# A heartbeat older than this many scheduler intervals means no scheduler is running.
HEARTBEAT_MISSED_INTERVALS = 3
LATE_PUBLICATIONS_DAYS = 7


@dataclass(frozen=True)
class ScheduleEntry:
    """One planned publish or unpublish of a page."""

    PUBLISH = "publish"
    UNPUBLISH = "unpublish"

    action: str
    planned_at: datetime
    title: str
    page: Page | None
    ressort_title: str
    revision_id: int | None = None


def schedule_is_visible_to(*, user) -> bool:
    """Whether the user may see the schedule: anyone who may write pages somewhere (every
    desk role and superusers). Seeing it changes nothing — only publishers can schedule."""
    if not user.is_active:
        return False
    policy = policy_registry.get_by_type(Page)
    return policy.user_has_any_permission(user, {"add", "change", "publish"})


def schedule_upcoming(*, now: datetime | None = None, limit: int = 200) -> list[ScheduleEntry]:
    """Pages planned to go live (revisions with ``approved_go_live_at`` after ``now``) or to
    expire (live pages with ``expire_at`` after ``now``), soonest first, at most ``limit``.

    Four queries, however many entries.
    """
    now = now or timezone.now()
    revisions = Revision.page_revisions.filter(approved_go_live_at__gt=now)
    expiring = Page.objects.live().filter(expire_at__gt=now)
    return _entries(revisions=revisions, expiring=expiring, limit=limit)


def draft_state_models() -> list[type]:
    """Page and every other model with a publishing schedule, as Wagtail's publish_scheduled."""
    return [Page] + [
        model
        for model in apps.get_models()
        if issubclass(model, DraftStateMixin) and not issubclass(model, Page)
    ]


def schedule_next_due(*, after: datetime) -> datetime | None:
    """The earliest planned event after ``after``: a revision's ``approved_go_live_at`` (of
    any model) or a live object's ``expire_at``; None when nothing is planned. One indexed
    query per model with a publishing schedule, plus one."""
    times = [
        Revision.objects.filter(approved_go_live_at__gt=after)
        .order_by("approved_go_live_at")
        .values_list("approved_go_live_at", flat=True)
        .first()
    ]
    times += [
        model.objects.filter(live=True, expire_at__gt=after)
        .order_by("expire_at")
        .values_list("expire_at", flat=True)
        .first()
        for model in draft_state_models()
    ]
    return min((time for time in times if time is not None), default=None)


def schedule_overdue(*, now: datetime | None = None, limit: int = 50) -> list[ScheduleEntry]:
    """Planned publishes and unpublishes of pages that should have run more than
    ``SCHEDULE_LATE_AFTER_SECONDS`` ago and have not: the sign of a stopped scheduler.
    Oldest first, at most ``limit``; four queries."""
    now = now or timezone.now()
    threshold = now - timedelta(seconds=settings.SCHEDULE_LATE_AFTER_SECONDS)
    revisions = Revision.page_revisions.filter(approved_go_live_at__lte=threshold)
    expiring = Page.objects.live().filter(expire_at__lte=threshold)
    return _entries(revisions=revisions, expiring=expiring, limit=limit)


def _entries(*, revisions, expiring, limit: int) -> list[ScheduleEntry]:
    revisions = list(
        revisions.order_by("approved_go_live_at", "pk").only(
            "pk", "object_id", "object_str", "approved_go_live_at"
        )[:limit]
    )
    expiring = list(expiring.order_by("expire_at", "pk")[:limit])
    pages = {page.pk: page for page in expiring}
    pages.update(
        (page.pk, page)
        for page in Page.objects.filter(pk__in={int(rev.object_id) for rev in revisions})
        if page.pk not in pages
    )
    ressort_paths = {_ressort_path(page) for page in pages.values()} - {""}
    ressort_titles = dict(
        RessortPage.objects.filter(path__in=ressort_paths).values_list("path", "title")
    )

    def ressort_title(page):
        return ressort_titles.get(_ressort_path(page), "") if page else ""

    entries = [
        ScheduleEntry(
            action=ScheduleEntry.PUBLISH,
            planned_at=rev.approved_go_live_at,
            # The scheduled revision's title: a live page may still show the old one.
            title=rev.object_str,
            page=(page := pages.get(int(rev.object_id))),
            ressort_title=ressort_title(page),
            revision_id=rev.pk,
        )
        for rev in revisions
    ]
    entries += [
        ScheduleEntry(
            action=ScheduleEntry.UNPUBLISH,
            planned_at=page.expire_at,
            title=page.title,
            page=page,
            ressort_title=ressort_title(page),
        )
        for page in expiring
    ]
    entries.sort(key=lambda entry: (entry.planned_at, entry.action, entry.title))
    return entries[:limit]


def _ressort_path(page: Page) -> str:
    """The tree path of the page's Ressort (root → HomePage → Ressort), or "" above it."""
    depth = 3
    if page.depth < depth:
        return ""
    return page.path[: depth * Page.steplen]


def late_publications_recent(
    *, now: datetime | None = None, days: int = LATE_PUBLICATIONS_DAYS, limit: int = 50
) -> list[LatePublication]:
    """Late or missed scheduled events executed in the last ``days`` days, newest first,
    at most ``limit``; one query."""
    now = now or timezone.now()
    return list(
        LatePublication.objects.filter(executed_at__gte=now - timedelta(days=days)).order_by(
            "-executed_at", "-pk"
        )[:limit]
    )


@dataclass(frozen=True)
class SchedulerStatus:
    last_run_at: datetime | None
    host: str
    stale_after: timedelta

    @property
    def has_run(self) -> bool:
        return self.last_run_at is not None

    def is_running(self, *, now: datetime) -> bool:
        return self.has_run and now - self.last_run_at <= self.stale_after


def scheduler_status() -> SchedulerStatus:
    """The scheduler's last run; it counts as running while that is no older than
    ``HEARTBEAT_MISSED_INTERVALS`` scheduler intervals. One query."""
    heartbeat = SchedulerHeartbeat.objects.filter(pk=SchedulerHeartbeat.SINGLETON_PK).first()
    return SchedulerStatus(
        last_run_at=heartbeat.last_run_at if heartbeat else None,
        host=heartbeat.host if heartbeat else "",
        stale_after=timedelta(
            seconds=HEARTBEAT_MISSED_INTERVALS * settings.SCHEDULE_INTERVAL_SECONDS
        ),
    )


@dataclass(frozen=True)
class DeskStatus:
    """Where a page stands on the desk: what comes next, and when it goes live.

    ``step`` is the workflow step awaiting review (with its reviewing groups and the steps
    after it), or the step that requested changes when ``changes_requested``; None when no
    workflow is under way. ``go_live_at`` is the scheduled time once approved
    (``scheduled``), else the time the draft plans (it takes effect with the last approval);
    None means at once. ``workflow`` is the workflow that submitting would start.
    """

    step: Task | None
    reviewers: tuple[str, ...]
    later_steps: tuple[str, ...]
    changes_requested: bool
    requested_by: str
    go_live_at: datetime | None
    scheduled: bool
    workflow: Workflow | None

    @property
    def is_final_step(self) -> bool:
        """Whether approving the step awaiting review ends the workflow (and publishes)."""
        return self.step is not None and not self.changes_requested and not self.later_steps


def desk_status(*, page: Page, now: datetime | None = None) -> DeskStatus:
    """The desk status of ``page``, read as the editor sees it: pass the latest revision as
    an object (``get_latest_revision_as_object()``) for the draft's planned go-live time.
    Seven queries at most (six without a workflow under way)."""
    now = now or timezone.now()
    state = page.current_workflow_state
    step, reviewers, later_steps = None, (), ()
    if state is not None and state.current_task_state is not None:
        step = state.current_task_state.task.specific
        if isinstance(step, AbstractGroupApprovalTask):
            reviewers = tuple(step.groups.order_by("name").values_list("name", flat=True))
        tasks = list(state.workflow.tasks.filter(active=True))
        position = next((i for i, task in enumerate(tasks) if task.pk == step.pk), len(tasks))
        later_steps = tuple(task.name for task in tasks[position + 1 :])

    # Not page.scheduled_revision: it is cached on the object, and the editor reads it
    # before a workflow action schedules the page.
    scheduled = page.revisions.filter(approved_go_live_at__isnull=False).first()
    if scheduled is not None and scheduled.approved_go_live_at > now:
        go_live_at = scheduled.approved_go_live_at
    elif page.go_live_at is not None and page.go_live_at > now:
        go_live_at = page.go_live_at
    else:
        go_live_at = None

    return DeskStatus(
        step=step,
        reviewers=reviewers,
        later_steps=later_steps,
        changes_requested=(
            state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES
        ),
        requested_by=(
            get_user_display_name(state.requested_by) if state and state.requested_by else ""
        ),
        go_live_at=go_live_at,
        scheduled=scheduled is not None and go_live_at == scheduled.approved_go_live_at,
        workflow=page.get_workflow() if state is None else state.workflow,
    )
