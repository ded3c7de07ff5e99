from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.action_menu import WorkflowMenuItem
from wagtail.admin.menu import MenuItem

from redaktion.news.models import RessortPage

from . import avatars
from .selectors import desk_status, schedule_is_visible_to
from .services import ressort_group_sync, ressort_groups_prune
from .views import SchedulerPanel, ScheduleView, go_live_warning, workflow_action_message

hooks.register("get_avatar_url", avatars.avatar_url)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def sync_ressort_group(request, page):
    if isinstance(page, RessortPage):
        ressort_group_sync(ressort=page)


@hooks.register("after_copy_page")
def sync_copied_ressort_group(request, page, new_page):
    if isinstance(new_page.specific_deferred, RessortPage):
        ressort_group_sync(ressort=new_page)


@hooks.register("after_delete_page")
def prune_ressort_groups(request, page):
    if isinstance(page, RessortPage):
        ressort_groups_prune()


@hooks.register("register_admin_urls")
def register_desk_urls():
    return [path("desk/schedule/", ScheduleView.as_view(), name="desk_schedule")]


class ScheduleMenuItem(MenuItem):
    def is_shown(self, request):
        return schedule_is_visible_to(user=request.user)


@hooks.register("register_admin_menu_item")
def register_schedule_menu_item():
    return ScheduleMenuItem(
        _("Schedule"),
        reverse("desk_schedule"),
        name="desk-schedule",
        icon_name="calendar-alt",
        order=150,
    )


@hooks.register("construct_homepage_panels")
def add_scheduler_panel(request, panels):
    panels.append(SchedulerPanel())


@hooks.register("construct_page_action_menu")
def name_the_scheduled_approval(menu_items, request, context):
    """At the last step, "Approve and publish" says "Approve and schedule" when the draft
    plans a go-live time: approving then schedules the article instead of publishing it."""
    approve = [
        item
        for item in menu_items
        if isinstance(item, WorkflowMenuItem) and item.name == "approve" and not item.launch_modal
    ]
    page = context.get("page")
    if not approve or page is None:
        return
    status = desk_status(page=page)
    if status.is_final_step and status.go_live_at is not None:
        for item in approve:
            item.label = gettext("Approve and schedule")


@hooks.register("after_edit_page")
def say_what_comes_next(request, page):
    """After a workflow action in the editor, say what it led to."""
    if request.POST.get("action-workflow-action"):
        message = workflow_action_message(
            page=page, action=request.POST.get("workflow-action-name")
        )
        if message:
            messages.success(request, message)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_about_the_go_live_time(request, page):
    """After saving, warn when the go-live time lies in the past or less than a minute ahead:
    an embargo typed as today instead of tomorrow would publish at once."""
    warning = go_live_warning(obj=page, go_live_at=page.go_live_at)
    if warning:
        messages.warning(request, warning)
