"""The publish pipeline in the admin: a dashboard panel with the outbox's state (backlog,
oldest waiting entry, failures, the newest error) and a page listing the failed and waiting
entries, where a failed entry can be retried."""

from datetime import timedelta

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.loader import get_template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from .models import OutboxEntry
from .outbox import UNFINISHED, outbox_nudge, outbox_retry, outbox_status

VIEW_PERMISSION = "core.view_outboxentry"
RETRY_PERMISSION = "core.change_outboxentry"
LISTED = 100  # entries per table on the pipeline page
# The panel warns when an entry has waited longer than this: the worker is not draining.
SLOW = timedelta(minutes=5)


def _status_context() -> dict:
    status = outbox_status()
    age = status.oldest_pending_age
    return {
        "status": status,
        "oldest_age": age,
        "is_slow": age is not None and age > SLOW,
    }


class PipelinePanel(Component):
    """The outbox's state on the dashboard, for those who may see the pipeline (the Chef
    vom Dienst and superusers)."""

    name = "core_pipeline"
    template_name = "core/panels/pipeline.html"
    order = 60

    def render_html(self, parent_context=None):
        if not parent_context["request"].user.has_perm(VIEW_PERMISSION):
            return ""
        return get_template(self.template_name).render(_status_context())


class RetryForm(forms.Form):
    entries = forms.ModelMultipleChoiceField(
        queryset=OutboxEntry.objects.filter(state=OutboxEntry.State.FAILED),
        required=False,
        error_messages={"invalid_choice": _("This entry is no longer failed.")},
    )
    all_failed = forms.BooleanField(required=False)

    def clean(self):
        data = super().clean()
        if not data.get("entries") and not data.get("all_failed"):
            raise forms.ValidationError(_("Choose the entries to retry."))
        return data

    def ids(self) -> list[int]:
        if self.cleaned_data["all_failed"]:
            return list(self.fields["entries"].queryset.values_list("pk", flat=True))
        return [entry.pk for entry in self.cleaned_data["entries"]]


class PipelineView(WagtailAdminTemplateMixin, FormView):
    """The failed entries (newest first) and the waiting ones (oldest first), at most
    ``LISTED`` each; POST retries failed entries (``RETRY_PERMISSION``)."""

    template_name = "core/pipeline.html"
    page_title = _("Publish pipeline")
    header_icon = "cogs"
    form_class = RetryForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied
        if request.method == "POST" and not request.user.has_perm(RETRY_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(_status_context())
        context["failed"] = list(
            OutboxEntry.objects.filter(state=OutboxEntry.State.FAILED).order_by("-id")[:LISTED]
        )
        context["waiting"] = list(
            OutboxEntry.objects.filter(state__in=UNFINISHED).order_by("id")[:LISTED]
        )
        context["can_retry"] = self.request.user.has_perm(RETRY_PERMISSION)
        return context

    def form_valid(self, form):
        count = outbox_retry(form.ids())
        transaction.on_commit(outbox_nudge)
        messages.success(
            self.request,
            ngettext(
                "%(count)d entry will be retried.", "%(count)d entries will be retried.", count
            )
            % {"count": count},
        )
        return redirect(reverse("core_pipeline"))

    def form_invalid(self, form):
        for errors in form.errors.values():
            for error in errors:
                messages.error(self.request, error)
        return self.render_to_response(self.get_context_data(form=form), status=400)
