"""Drive Wagtail's page editor as a browser would, without one: load the edit form, change
fields, press a button (a workflow action, "Save schedule", "Cancel workflow")."""

import json
from html import escape
from html.parser import HTMLParser

from django.contrib import messages
from django.contrib.auth import get_user
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.views.pages.edit import EditView
from wagtail.fields import StreamField
from wagtail.rich_text import RichText
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield


class _EditForm(HTMLParser):
    """The successful controls of the page editor's form (``data-edit-form``), as a browser
    would submit them without pressing a button."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._depth = 0  # > 0 inside the edit form
        self._textarea: str | None = None
        self._select: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "data-edit-form" in attrs:
            self._depth = 1
            return
        if not self._depth:
            return
        if tag == "form":
            self._depth += 1
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))

    def handle_endtag(self, tag):
        if not self._depth:
            return
        if tag == "form":
            self._depth -= 1
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def _streams(page) -> dict[str, str]:
    """StreamFields are built by the browser's script from JSON, so their form data is
    written here from the draft's value (paragraphs of rich text, as the desk's tests use)."""
    draft = type(page).objects.get(pk=page.pk).get_latest_revision_as_object()
    streams = {}
    for field in draft._meta.get_fields():
        if isinstance(field, StreamField):
            blocks = []
            for child in getattr(draft, field.name):
                assert isinstance(child.value, RichText), f"{child.block_type} is not supported"
                blocks.append((child.block_type, rich_text(child.value.source)))
            streams[field.name] = streamfield(blocks)
    return nested_form_data(streams)


class _FormOnly(EditView):
    """Wagtail's edit view up to its form: the same page, permissions, hooks and form as
    the editor's, rendered as the form's own content (every panel and field, the hidden
    inputs before them) without the admin around it, its side panels and action menu,
    which cost two thirds of a render and carry no field."""

    def get_context_data(self, **kwargs):
        return {}

    def render_to_response(self, context):
        bound_panel = self.edit_handler.get_bound_panel(
            instance=self.page, request=self.request, form=self.form
        )
        hidden = [("next", self.next_url or "")]
        if self.page.latest_revision_id:
            hidden += [
                ("loaded_revision_id", str(self.page.latest_revision_id)),
                ("loaded_revision_created_at", self.latest_revision_created_at),
            ]
        inputs = "".join(
            f'<input type="hidden" name="{name}" value="{escape(value)}">' for name, value in hidden
        )
        content = bound_panel.render_form_content()
        return HttpResponse(f"<form data-edit-form>{inputs}{content}</form>")


def edit_form(client, page) -> dict[str, str]:
    """The editor's form data for ``page``, as loaded by the user ``client`` is logged in as
    (one value per field name)."""
    request = RequestFactory().get(edit_url(page))
    request.session = client.session
    request.user = get_user(request)
    request._messages = FallbackStorage(request)
    response = _FormOnly.as_view()(request, page_id=page.pk)
    assert response.status_code == 200, response.status_code
    parser = _EditForm()
    parser.feed(response.content.decode())
    return {**dict(parser.fields), **_streams(page)}


def local(value) -> str:
    """A datetime as the editor's date-time field shows it."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def press(client, page, *, changes=None, follow=False, **button):
    """Load the editor, apply ``changes`` to its fields, and submit it as the given button
    would (e.g. ``**{"action-workflow-action": "true", "workflow-action-name": "approve"}``).

    The edit view answers an action it carried out with a redirect, and one it refused
    with the form again or a redirect with an error message. With ``follow`` the response
    is the page the editor then sees, whose messages a test can read; without, the action
    must have been carried out, and the editor's next page is not rendered (a test that
    only needs the step done saves a whole render of the editor)."""
    data = edit_form(client, page)
    data.update(changes or {})
    data.update(button)
    response = client.post(edit_url(page), data, follow=follow)
    if not follow:
        assert response.status_code == 302, response.status_code
        errors = [
            str(message)
            for message in get_messages(response.wsgi_request)
            if message.level >= messages.ERROR
        ]
        assert not errors, errors
    return response


def approve(client, page, *, changes=None, comment=None, follow=False):
    extra = {"workflow-action-extra-data": json.dumps({"comment": comment})} if comment else {}
    return press(
        client,
        page,
        changes=changes,
        follow=follow,
        **{"action-workflow-action": "true", "workflow-action-name": "approve"},
        **extra,
    )


def reject(client, page, *, comment, follow=False):
    return press(
        client,
        page,
        follow=follow,
        **{
            "action-workflow-action": "true",
            "workflow-action-name": "reject",
            "workflow-action-extra-data": json.dumps({"comment": comment}),
        },
    )


def save_schedule(client, page, *, go_live_at, follow=False):
    """ "Save schedule" in the status panel's dialog: a draft with the new go-live time."""
    return press(client, page, changes={"go_live_at": local(go_live_at)}, follow=follow)


def submit(client, page, *, changes=None, follow=False):
    return press(client, page, changes=changes, follow=follow, **{"action-submit": "true"})


def cancel_workflow(client, page, *, follow=False):
    return press(client, page, follow=follow, **{"action-cancel-workflow": "true"})
