"""Writes of the Liveticker: who may post, posting, correcting and deleting entries, closing.

An entry is published when it is saved, without the review workflow: the ticker page went
through it once. Each write records a ``liveticker`` event in the outbox in its own
transaction; its steps purge the ticker's page and poll answers (``news.live_purge``) and,
for an entry that has just become a key event, fan it out to the ticker's followers (the
notifications app's step), so a purge or an alert is never lost with the worker.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from redaktion.core import outbox, surrogate

from .live import LiveTickerEntry, LiveTickerPage
from .publishing import subject

LIVE_TOPIC = "liveticker"


class LiveTickerError(Exception):
    """A write the rules do not allow; the message says why."""


def entry_may_post(*, user, ticker: Page) -> bool:
    """Whoever may create pages in the ticker's Ressort (its Autoren, the Redakteure and the
    Chef vom Dienst, superusers) may post and correct entries, while the ticker is live and
    not closed. One query for the user's page permissions (none for a superuser)."""
    if not (user.is_active and user.is_authenticated):
        return False
    ressort = ticker.get_parent() if ticker.depth > 1 else None
    if ressort is None:
        return False
    return ressort.permissions_for_user(user).can_add_subpage()


def _check(*, user, ticker: LiveTickerPage) -> None:
    if not entry_may_post(user=user, ticker=ticker):
        raise LiveTickerError(_("You may not write entries in this live ticker."))
    if not ticker.live:
        raise LiveTickerError(_("The live ticker is not published yet."))
    if ticker.is_closed:
        raise LiveTickerError(_("The live ticker has ended."))


@dataclass(frozen=True)
class EntryEvent:
    ticker_id: int
    entry_id: int
    key_event: bool

    def as_json(self) -> dict:
        return {"ticker_id": self.ticker_id, "entry_id": self.entry_id, "key_event": self.key_event}


def _record(entry: LiveTickerEntry, *, became_key_event: bool) -> None:
    event = EntryEvent(entry.ticker_id, entry.pk, became_key_event)
    outbox.outbox_record(LIVE_TOPIC, subject(entry.ticker_id), event.as_json())


@transaction.atomic
def entry_publish(*, user, ticker: LiveTickerPage, entry: LiveTickerEntry) -> LiveTickerEntry:
    """Saves the new ``entry`` (unsaved, its fields set) in ``ticker``, published at once.
    Raises ``LiveTickerError`` when ``user`` may not post there or the ticker is not open."""
    _check(user=user, ticker=ticker)
    entry.ticker = ticker
    entry.created_by = user if user.is_authenticated else None
    entry.created_at = timezone.now()
    entry.save()
    _record(entry, became_key_event=entry.is_key_event)
    return entry


@transaction.atomic
def entry_update(*, user, entry: LiveTickerEntry, was_key_event: bool) -> LiveTickerEntry:
    """Saves a correction of ``entry``, marked with the time of the update. An entry that
    becomes a key event only now is sent to the followers then (once, as any key event)."""
    _check(user=user, ticker=entry.ticker)
    entry.updated_at = timezone.now()
    entry.save()
    _record(entry, became_key_event=entry.is_key_event and not was_key_event)
    return entry


@transaction.atomic
def entry_delete(*, user, entry: LiveTickerEntry) -> None:
    _check(user=user, ticker=entry.ticker)
    ticker_id, entry_id = entry.ticker_id, entry.pk
    entry.delete()
    outbox.outbox_record(
        LIVE_TOPIC, subject(ticker_id), EntryEvent(ticker_id, entry_id, False).as_json()
    )


def live_purge(payload: dict) -> None:
    """Step ``news.live_purge``: the ticker's page and its poll answers."""
    ticker_id = payload["ticker_id"]
    surrogate.purge(LiveTickerEntry(ticker_id=ticker_id).purge_keys())


def register_steps() -> None:
    outbox.register_step(LIVE_TOPIC, "news.live_purge", live_purge, outbox.PURGE)
