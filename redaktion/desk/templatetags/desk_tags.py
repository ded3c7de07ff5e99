"""The desk's additions to the page editor: where the page stands in the workflow, and whether
the editor reviews its current step."""

from django import template
from wagtail.models import Page

from ..selectors import DeskStatus, desk_status

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
