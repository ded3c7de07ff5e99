"""Writes of the editorial desk: the desk's groups and permissions, the approval workflow, and
the scheduler run that publishes and unpublishes on time — and records it when it could not.
"""

import logging
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Revision,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from redaktion.news.models import HomePage, RessortPage

from .models import LatePublication, RessortAuthorGroup, SchedulerHeartbeat
from .selectors import draft_state_models

logger = logging.getLogger("redaktion.desk")

# Group, workflow and task names are stored data, not interface text: they stay German in
# every admin language so that scripts, the demo and the newsroom all use the same names.
AUTOR = "Autor"
REDAKTEUR = "Redakteur"
CHEF_VOM_DIENST = "Chef vom Dienst"
ANZEIGENVERKAUF = "Anzeigenverkauf"
RESSORT_GROUP_PREFIX = "Autor: "
WORKFLOW_NAME = "Redaktionelle Freigabe"
REVIEW_TASK_NAME = "Redaktionsprüfung"
APPROVAL_TASK_NAME = "Freigabe durch CvD"

GROUP_NAME_MAX_LENGTH = Group._meta.get_field("name").max_length


class DeskSetupError(Exception):
    """The database lacks something the desk needs; the message says what to run."""


@dataclass(frozen=True)
class Role:
    """What one desk group may do.

    ``permissions`` are model permissions (``app_label.codename``); ``page_permissions`` are
    Wagtail page actions granted on every HomePage, so they reach every Ressort and article;
    ``collection_permissions`` apply to the root collection of images and documents.
    """

    name: str
    permissions: tuple[str, ...]
    page_permissions: tuple[str, ...] = ()
    collection_permissions: tuple[str, ...] = ()


# An Autor gets no page permission here: writing is granted per Ressort by the
# "Autor: <Ressort>" groups. Authors and topics are read-only for an Autor; topics still grow
# through the tag field of an article, which Wagtail allows to everyone who may edit it.
ROLES = (
    Role(
        name=AUTOR,
        permissions=("wagtailadmin.access_admin", "news.view_author", "news.view_topic"),
        collection_permissions=(
            "wagtailimages.add_image",
            "wagtailimages.choose_image",
            "wagtaildocs.add_document",
            "wagtaildocs.choose_document",
        ),
    ),
    Role(
        name=REDAKTEUR,
        permissions=(
            "wagtailadmin.access_admin",
            "news.add_author",
            "news.change_author",
            "news.view_author",
            "news.add_topic",
            "news.change_topic",
            "news.view_topic",
        ),
        page_permissions=("add", "change"),
        collection_permissions=(
            "wagtailimages.add_image",
            "wagtailimages.change_image",
            "wagtailimages.choose_image",
            "wagtaildocs.add_document",
            "wagtaildocs.change_document",
            "wagtaildocs.choose_document",
        ),
    ),
    Role(
        name=CHEF_VOM_DIENST,
        permissions=(
            "wagtailadmin.access_admin",
            "news.add_author",
            "news.change_author",
            "news.delete_author",
            "news.view_author",
            "news.add_topic",
            "news.change_topic",
            "news.delete_topic",
            "news.view_topic",
            "notifications.send_breaking",
            # The Eilmeldung banner across the site.
            "news.add_breakingnews",
            "news.change_breakingnews",
            "news.delete_breakingnews",
            "news.view_breakingnews",
            # The publish pipeline's page and panel: see the outbox, retry failed steps.
            "core.view_outboxentry",
            "core.change_outboxentry",
        ),
        page_permissions=("add", "bulk_delete", "change", "lock", "publish", "unlock"),
        collection_permissions=(
            "wagtailimages.add_image",
            "wagtailimages.change_image",
            "wagtailimages.delete_image",
            "wagtailimages.choose_image",
            "wagtaildocs.add_document",
            "wagtaildocs.change_document",
            "wagtaildocs.delete_document",
            "wagtaildocs.choose_document",
        ),
    ),
    # Ad sales: campaigns with their creatives, the slots, the ads switch and the delivery
    # report (which asks for campaign permissions); no page, no image library.
    Role(
        name=ANZEIGENVERKAUF,
        permissions=(
            "wagtailadmin.access_admin",
            "ads.add_campaign",
            "ads.change_campaign",
            "ads.delete_campaign",
            "ads.view_campaign",
            "ads.change_slot",
            "ads.view_slot",
            "ads.change_adsettings",
        ),
    ),
)

# Wagtail's own starter groups publish past the desk's workflow. `desk_setup` folds their
# members into the desk group that matches what they could do and deletes them.
WAGTAIL_STARTER_GROUPS = {"Editors": REDAKTEUR, "Moderators": CHEF_VOM_DIENST}


@dataclass(frozen=True)
class DeskSetup:
    """What ``desk_setup`` left in place: the role groups by name, the Ressort author groups
    in page-tree order, and the approval workflow."""

    groups: dict[str, Group]
    ressort_groups: list[Group]
    workflow: Workflow


@transaction.atomic
def desk_setup() -> DeskSetup:
    """Create the desk's groups, their permissions, the per-Ressort author groups and the
    two-step approval workflow on every HomePage; fold Wagtail's starter groups (Editors,
    Moderators) into the desk's.

    Idempotent: it adds what is missing and never revokes what an administrator granted in
    addition, never duplicates a group, permission or task, and leaves an existing workflow's
    tasks and a HomePage's existing workflow assignment alone. Safe before any HomePage exists
    (groups and workflow are still created; run it again once the page tree exists).
    Raises ``DeskSetupError`` when the permissions of Wagtail or the news app are missing.
    """
    groups = {role.name: _role_sync(role=role) for role in ROLES}
    _fold_starter_groups(groups)
    workflow = _workflow_sync(reviewers=groups[REDAKTEUR], approvers=groups[CHEF_VOM_DIENST])
    return DeskSetup(groups=groups, ressort_groups=ressort_groups_sync(), workflow=workflow)


def _permissions(labels) -> list[Permission]:
    """The Permission rows for ``app_label.codename`` labels, in one query."""
    labels = tuple(labels)
    if not labels:
        return []
    query = Q()
    for label in labels:
        app_label, codename = label.split(".", 1)
        query |= Q(content_type__app_label=app_label, codename=codename)
    found = {
        f"{permission.content_type.app_label}.{permission.codename}": permission
        for permission in Permission.objects.filter(query).select_related("content_type")
    }
    missing = sorted(set(labels) - found.keys())
    if missing:
        raise DeskSetupError(
            f"Permissions {', '.join(missing)} do not exist yet: run `redaktion migrate` first."
        )
    return [found[label] for label in labels]


def _role_sync(*, role: Role) -> Group:
    group, _created = Group.objects.get_or_create(name=role.name)
    group.permissions.add(*_permissions(role.permissions))
    page_permissions = _permissions(
        f"wagtailcore.{action}_page" for action in role.page_permissions
    )
    for home in HomePage.objects.all():
        for permission in page_permissions:
            GroupPagePermission.objects.get_or_create(
                group=group, page_id=home.pk, permission=permission
            )
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for permission in _permissions(role.collection_permissions):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )
    return group


def _fold_starter_groups(groups: dict[str, Group]) -> None:
    for starter in Group.objects.filter(name__in=WAGTAIL_STARTER_GROUPS):
        target = groups[WAGTAIL_STARTER_GROUPS[starter.name]]
        target.user_set.add(*starter.user_set.all())
        logger.info("Wagtail's group %s folded into %s", starter.name, target.name)
        starter.delete()


def _workflow_sync(*, reviewers: Group, approvers: Group) -> Workflow:
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if created:
        # Only a new workflow gets its tasks: once it exists, the workflow editor in the admin
        # owns its steps, and a rerun must not add a renamed task back in.
        steps = ((REVIEW_TASK_NAME, reviewers), (APPROVAL_TASK_NAME, approvers))
        for sort_order, (name, group) in enumerate(steps):
            task, _created = GroupApprovalTask.objects.get_or_create(name=name)
            task.groups.add(group)
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=sort_order)
    for home in HomePage.objects.all():
        WorkflowPage.objects.get_or_create(page_id=home.pk, defaults={"workflow": workflow})
    return workflow


def ressort_group_sync(*, ressort: Page) -> Group:
    """Make sure the Ressort has its author group ("Autor: Politik") holding Wagtail's ``add``
    permission on it (create pages there, edit one's own), named after its current title.

    Idempotent; renames the group when the Ressort was renamed. A name already taken by
    another group gets the Ressort's id appended rather than sharing that group.
    """
    add_page = _permissions(["wagtailcore.add_page"])[0]
    link = RessortAuthorGroup.objects.select_related("group").filter(page_id=ressort.pk).first()
    if link is None:
        group = Group.objects.create(name=_ressort_group_name(ressort=ressort, group=None))
        RessortAuthorGroup.objects.create(page_id=ressort.pk, group=group)
    else:
        group = link.group
        name = _ressort_group_name(ressort=ressort, group=group)
        if group.name != name:
            group.name = name
            group.save(update_fields=["name"])
    GroupPagePermission.objects.get_or_create(group=group, page_id=ressort.pk, permission=add_page)
    return group


def _ressort_group_name(*, ressort: Page, group: Group | None) -> str:
    # draft_title is the title the admin shows, so the group follows a rename at once.
    name = f"{RESSORT_GROUP_PREFIX}{ressort.draft_title or ressort.title}"
    name = name[:GROUP_NAME_MAX_LENGTH]
    taken = Group.objects.filter(name=name)
    if group is not None:
        taken = taken.exclude(pk=group.pk)
    if not taken.exists():
        return name
    suffix = f" ({ressort.pk})"
    return name[: GROUP_NAME_MAX_LENGTH - len(suffix)] + suffix


def ressort_groups_prune() -> int:
    """Delete the author groups of deleted Ressorts; returns how many were deleted."""
    orphans = RessortAuthorGroup.objects.filter(page__isnull=True).values("group_id")
    deleted, per_model = Group.objects.filter(pk__in=orphans).delete()
    return per_model.get(Group._meta.label, 0)


def ressort_groups_sync() -> list[Group]:
    """Prune the groups of deleted Ressorts, then sync every Ressort's author group.
    Returns the groups in page-tree order."""
    ressort_groups_prune()
    return [ressort_group_sync(ressort=ressort) for ressort in RessortPage.objects.order_by("path")]


# Scheduled publishing


@dataclass
class ScheduleRun:
    """What one ``schedule_run`` did."""

    published: int = 0
    unpublished: int = 0
    missed: int = 0
    failed: int = 0
    late: list[LatePublication] = field(default_factory=list)

    def __str__(self) -> str:
        return _(
            "Scheduler: %(published)d published, %(unpublished)d unpublished, "
            "%(missed)d missed, %(late)d late, %(failed)d failed."
        ) % {
            "published": self.published,
            "unpublished": self.unpublished,
            "missed": self.missed,
            "late": len(self.late),
            "failed": self.failed,
        }


def schedule_run(*, now: datetime | None = None) -> ScheduleRun:
    """Do what Wagtail's ``publish_scheduled`` command does, and make lateness visible.

    1. Unpublishes (as expired) every live page or other draft-state object whose
       ``expire_at`` is at or before ``now``, soonest first.
    2. Publishes every revision whose ``approved_go_live_at`` is at or before ``now``, oldest
       first — except a revision whose own ``expire_at`` has passed too: publishing it would
       put it live for a moment and notify its followers, so its schedule is cancelled and it
       is recorded as missed.
    3. Anything executed more than ``SCHEDULE_LATE_AFTER_SECONDS`` after its planned time, and
       every miss, is logged as a warning on ``redaktion.desk`` and recorded once as a
       ``LatePublication``.
    4. Records the run in the ``SchedulerHeartbeat`` row.

    Each object is handled in its own transaction, locked and checked again before it is
    changed, so a repeated or concurrent run acts on it once. A failure on one object is
    logged and counted and does not stop the others; the object stays due and is retried on
    the next run. ``now`` defaults to the current time and may not lie in the future, because
    Wagtail's publish reads the clock itself.
    """
    if now is None:
        now = timezone.now()
    elif now > timezone.now():
        raise ValueError("schedule_run cannot run ahead of the clock: pass a past `now`.")
    late_after = timedelta(seconds=settings.SCHEDULE_LATE_AFTER_SECONDS)
    run = ScheduleRun()

    for model in draft_state_models():
        due = (
            model.objects.filter(live=True, expire_at__lte=now)
            .order_by("expire_at", "pk")
            .values_list("pk", flat=True)
        )
        for pk in list(due):
            _guarded(run, _expired_unpublish, model=model, pk=pk, now=now, late_after=late_after)

    due_revisions = (
        Revision.objects.filter(approved_go_live_at__lte=now)
        .order_by("approved_go_live_at", "pk")
        .values_list("pk", flat=True)
    )
    for pk in list(due_revisions):
        _guarded(run, _revision_publish, model=Revision, pk=pk, now=now, late_after=late_after)

    SchedulerHeartbeat.objects.update_or_create(
        pk=SchedulerHeartbeat.SINGLETON_PK,
        defaults={
            "last_run_at": timezone.now(),
            "host": f"{socket.gethostname()}:{os.getpid()}"[:255],
            "published": run.published,
            "unpublished": run.unpublished,
            "late": len(run.late),
            "failed": run.failed,
        },
    )
    return run


def _guarded(run: ScheduleRun, action, *, model, pk, now, late_after) -> None:
    try:
        action(run=run, model=model, pk=pk, now=now, late_after=late_after)
    except Exception:
        # One broken object must not hold back every other publication; it stays due, so
        # it is retried next run and shows as overdue on the dashboard meanwhile.
        run.failed += 1
        logger.exception("Scheduled publishing failed for %s pk=%s", model._meta.label, pk)


def _expired_unpublish(*, run, model, pk, now, late_after) -> None:
    with transaction.atomic():
        obj = model.objects.select_for_update().filter(pk=pk, live=True, expire_at__lte=now).first()
        if obj is None:
            return  # another run got there first
        planned_at = obj.expire_at
        obj.unpublish(set_expired=True, log_action="wagtail.unpublish.scheduled")
        run.unpublished += 1
        _lateness_record(
            run=run,
            action=LatePublication.Action.UNPUBLISH,
            obj=obj,
            revision=None,
            planned_at=planned_at,
            late_after=late_after,
        )


def _revision_publish(*, run, model, pk, now, late_after) -> None:
    with transaction.atomic():
        revision = (
            Revision.objects.select_for_update().filter(pk=pk, approved_go_live_at__lte=now).first()
        )
        if revision is None:
            return  # published, unpublished or unscheduled since the run started
        planned_at = revision.approved_go_live_at
        obj = revision.as_object()
        if obj.expire_at is not None and obj.expire_at <= now:
            revision.approved_go_live_at = None
            revision.save(update_fields=["approved_go_live_at"])
            run.missed += 1
            _lateness_record(
                run=run,
                action=LatePublication.Action.MISSED,
                obj=obj,
                revision=revision,
                planned_at=planned_at,
                late_after=None,
            )
            return
        revision.publish(log_action="wagtail.publish.scheduled")
        run.published += 1
        _lateness_record(
            run=run,
            action=LatePublication.Action.PUBLISH,
            obj=obj,
            revision=revision,
            planned_at=planned_at,
            late_after=late_after,
        )


def _lateness_record(*, run, action, obj, revision, planned_at, late_after) -> None:
    """Record and log the event if it ran more than ``late_after`` late (always when None)."""
    executed_at = timezone.now()
    delay = executed_at - planned_at
    if late_after is not None and delay <= late_after:
        return
    late, _created = LatePublication.objects.get_or_create(
        content_type=obj.get_base_content_type(),
        object_id=str(obj.pk),
        action=action,
        planned_at=planned_at,
        defaults={
            "page_id": obj.pk if isinstance(obj, Page) else None,
            "revision": revision,
            "object_repr": str(obj)[:255],
            "executed_at": executed_at,
            "delay": delay,
        },
    )
    run.late.append(late)
    logger.warning(
        "Scheduled %s of %r (%s pk=%s) ran %s after its planned time %s",
        action,
        late.object_repr,
        obj._meta.label,
        obj.pk,
        delay,
        planned_at.isoformat(),
    )
