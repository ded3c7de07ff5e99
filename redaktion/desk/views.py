"""Admin screens of the editorial desk: the schedule, the scheduler panel on the dashboard,
what the page editor says after a workflow action, and its warning about a go-live time
that is no real schedule."""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from redaktion.core.templatetags.redaktion_tags import zeitpunkt_genau

from .selectors import (
    LATE_PUBLICATIONS_DAYS,
    ScheduleEntry,
    desk_status,
    late_publications_recent,
    schedule_is_visible_to,
    schedule_overdue,
    schedule_upcoming,
    scheduler_status,
)

# A go-live closer than this is no schedule worth the name: the editor likely mistyped it.
GO_LIVE_WARNING_AHEAD = timedelta(minutes=1)


def go_live_warning(*, obj, go_live_at: datetime | None, now: datetime | None = None) -> str:
    """The warning for a go-live time of ``obj`` (a page or other draft-state object, as the
    editor holds it) that lies in the past or less than ``GO_LIVE_WARNING_AHEAD`` ahead; ""
    when there is none. A time that an earlier publication already used (not after the
    last publication of a live object) is history, not a plan, and gets no warning."""
    if go_live_at is None:
        return ""
    if (
        getattr(obj, "live", False)
        and obj.last_published_at
        and go_live_at <= obj.last_published_at
    ):
        return ""
    now = now or timezone.now()
    values = {"time": zeitpunkt_genau(go_live_at)}
    if go_live_at <= now:
        return (
            gettext(
                "The go-live time %(time)s lies in the past: publishing puts it online at once."
            )
            % values
        )
    if go_live_at <= now + GO_LIVE_WARNING_AHEAD:
        return (
            gettext(
                "The go-live time %(time)s is less than a minute away: check it is the one "
                "you meant."
            )
            % values
        )
    return ""


def _rows(entries: list[ScheduleEntry], user) -> list[dict]:
    """Entries with an edit link where the user may edit the page (Wagtail checks it again)."""
    return [
        {
            "entry": entry,
            "edit_url": (
                reverse("wagtailadmin_pages:edit", args=[entry.page.pk])
                if entry.page is not None and entry.page.permissions_for_user(user).can_edit()
                else ""
            ),
        }
        for entry in entries
    ]


class ScheduleView(WagtailAdminTemplateMixin, TemplateView):
    """Upcoming scheduled publications and unpublications, soonest first.

    Open to every desk role, not only to publishers: an Autor or Redakteur plans their own
    pieces around what goes live when, and the list only reads — changing a schedule still
    needs publish permission in the page editor.
    """

    template_name = "desk/schedule.html"
    page_title = _("Schedule")
    header_icon = "calendar-alt"

    def dispatch(self, request, *args, **kwargs):
        if not schedule_is_visible_to(user=request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = _rows(schedule_upcoming(), self.request.user)
        context["overdue_rows"] = _rows(schedule_overdue(), self.request.user)
        return context


class SchedulerPanel(Component):
    """Dashboard warnings about scheduled publishing: a scheduler that is not running,
    publications that are overdue, and late or missed ones of the last days.

    Renders nothing when there is nothing to warn about, or for users who cannot see the
    schedule.
    """

    name = "desk_scheduler"
    template_name = "desk/panels/scheduler.html"
    order = 50

    def get_context_data(self, parent_context=None):
        user = parent_context["request"].user
        now = timezone.now()
        status = scheduler_status()
        return {
            "status": status,
            "is_running": status.is_running(now=now),
            "overdue_rows": _rows(schedule_overdue(now=now), user),
            "late_publications": late_publications_recent(now=now),
            "late_days": LATE_PUBLICATIONS_DAYS,
        }

    def render_html(self, parent_context=None):
        if not schedule_is_visible_to(user=parent_context["request"].user):
            return ""
        context = self.get_context_data(parent_context)
        if context["is_running"] and not (context["overdue_rows"] or context["late_publications"]):
            return ""
        return get_template(self.template_name).render(context)


def workflow_action_message(*, page, action: str | None) -> str | None:
    """What a workflow action in the editor led to, read back from the page: the next step
    and its reviewers, the go-live time, or who gets the article back. None when the
    action is another one, or did not happen (the workflow had moved on meanwhile)."""
    status = desk_status(page=page)
    title = page.get_admin_display_title()
    if action == "reject" and status.changes_requested:
        return gettext("“%(title)s”: changes requested; it goes back to %(user)s.") % {
            "title": title,
            "user": status.requested_by,
        }
    if action != "approve" or status.changes_requested:
        return None
    if status.step is not None:
        return gettext("“%(title)s”: approved. Next: %(step)s by %(reviewers)s.") % {
            "title": title,
            "step": status.step.name,
            "reviewers": ", ".join(status.reviewers),
        }
    if status.scheduled:
        return gettext("“%(title)s”: approved. Goes live: %(time)s.") % {
            "title": title,
            "time": zeitpunkt_genau(status.go_live_at),
        }
    if type(page).objects.filter(pk=page.pk, live=True).exists():
        return gettext("“%(title)s”: approved and live.") % {"title": title}
    return None
