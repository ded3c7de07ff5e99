"""The admin's Liveticker desk: one page per ticker with the form for a new entry on top and
the entries under it, built for a phone. "Neuer Eintrag" in the ticker's header (or its
page listing) opens it with the cursor in the text; "Veröffentlichen" publishes. An entry's
"Bearbeiten" opens the same form for a correction, shown to readers as "aktualisiert".
Who may use it: ``live_services.entry_may_post``.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .live import LiveTickerEntry, LiveTickerPage
from .live_services import (
    LiveTickerError,
    entry_delete,
    entry_may_post,
    entry_publish,
    entry_update,
)

# Entries listed under the form, newest first.
DESK_LENGTH = 30


class EntryForm(forms.ModelForm):
    class Meta:
        model = LiveTickerEntry
        fields = ["title", "body", "is_key_event", "is_pinned", "summary", "author", "posted_at"]

    def __init__(self, *args, new: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if new:
            # A new entry is published "now": the time is set when it is saved.
            del self.fields["posted_at"]


def _ticker(request, page_id) -> LiveTickerPage:
    ticker = get_object_or_404(LiveTickerPage, pk=page_id)
    if not entry_may_post(user=request.user, ticker=ticker):
        raise PermissionDenied
    return ticker


def _render(request, ticker, form, entry=None):
    return TemplateResponse(
        request,
        "news/admin/live_desk.html",
        {
            "ticker": ticker,
            "form": form,
            "media": form.media,
            "action_url": request.path,
            "entry": entry,
            "entries": (
                LiveTickerEntry.objects.filter(ticker=ticker)
                .select_related("author")
                .order_by("-posted_at", "-pk")[:DESK_LENGTH]
            ),
        },
    )


def desk_view(request, page_id):
    """The ticker's desk: GET shows the form and the newest entries; POST publishes."""
    ticker = _ticker(request, page_id)
    form = EntryForm(request.POST or None, new=True)
    if request.method == "POST" and form.is_valid():
        try:
            entry_publish(user=request.user, ticker=ticker, entry=form.instance)
        except LiveTickerError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The entry is online."))
            return redirect("news_live_desk", ticker.pk)
    return _render(request, ticker, form)


def entry_edit_view(request, page_id, entry_id):
    ticker = _ticker(request, page_id)
    entry = get_object_or_404(LiveTickerEntry, ticker=ticker, pk=entry_id)
    was_key_event = entry.is_key_event
    if request.method == "POST" and request.POST.get("delete"):
        try:
            entry_delete(user=request.user, entry=entry)
        except LiveTickerError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The entry has been deleted."))
        return redirect("news_live_desk", ticker.pk)
    form = EntryForm(request.POST or None, instance=entry, new=False)
    if request.method == "POST" and form.is_valid():
        try:
            entry_update(user=request.user, entry=form.instance, was_key_event=was_key_event)
        except LiveTickerError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The entry has been updated."))
            return redirect("news_live_desk", ticker.pk)
    return _render(request, ticker, form, entry=entry)
