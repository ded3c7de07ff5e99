"""Reads of the editorial desk: the publishing schedule, what is overdue, what ran late, and
whether the scheduler is alive."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from wagtail.models import Page, Revision
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
