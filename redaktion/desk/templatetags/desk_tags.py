"""The desk's additions to the page editor: where the page stands in the workflow, whether
the editor reviews its current step, and whether its go-live time deserves a warning."""

from django import template
from wagtail.models import Page

from ..selectors import DeskStatus, desk_status
from ..views import go_live_warning

register = template.Library()


@register.simple_tag
def desk_page_status(obj) -> DeskStatus | None:
    """``{% desk_page_status object as status %}``: the status of a saved page as the editor
    sees it (``object`` is the latest revision in the editor); None for anything else."""
    if not isinstance(obj, Page) or obj.pk is None:
        return None
    return desk_status(page=obj)


@register.simple_tag
def desk_review_status(obj, user) -> DeskStatus | None:
    """``{% desk_review_status page request.user as review %}``: the page's status when
    ``user`` may approve its current workflow step, else None."""
    if not isinstance(obj, Page) or obj.pk is None:
        return None
    task = obj.current_workflow_task
    if task is None or "approve" not in {name for name, *_rest in task.get_actions(obj, user)}:
        return None
    return desk_status(page=obj)


@register.simple_tag
def desk_go_live_warning(obj, *go_live_ats) -> str:
    """``{% desk_go_live_warning object draft_go_live_at scheduled_go_live_at as warning %}``:
    the warning for the first of the go-live times that is set, when it lies in the past or
    less than a minute ahead (``views.go_live_warning``), else ""."""
    go_live_at = next((time for time in go_live_ats if time), None)
    return go_live_warning(obj=obj, go_live_at=go_live_at)
