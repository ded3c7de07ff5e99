"""Reconciliation: the pipeline's safety net, run every ``INTERVAL`` by the worker's
scheduler (and by ``redaktion pipeline reconcile``).

1. Every article whose facts now differ from the recorded ones (``VisibleArticle``) gets
   its event, as if a signal had been missed: a live article never recorded, a recorded one
   that is gone or hidden, one whose Ressort or topics changed behind Wagtail's back.
2. Each app's check (``register_check``) names the articles whose derived data is missing
   or stale (no search entry, an entry older than the article's last publication, a
   related list that was never computed); each of them gets a repair event: a ``changed``
   event without changes, whose steps recompute everything derived and purge the article.

Articles with work still in the outbox are left alone: their steps are about to run.
Idempotent: a second run right after finds nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext

from redaktion.core.models import OutboxEntry
from redaktion.core.outbox import UNFINISHED, outbox_batch, outbox_record

from .events import ArticleEvent, EventKind
from .models import ArticlePage
from .publishing import ARTICLE_TOPIC, articles_sync, subject, visible_facts

logger = logging.getLogger("redaktion.news")

INTERVAL = 600  # seconds between two runs of the scheduler's reconciliation

# A check returns the ids of the articles whose derived data it finds missing or stale
# (visible articles lacking it, or hidden ones still having it).
Check = Callable[[], set[int]]

_checks: dict[str, Check] = {}


def register_check(name: str, check: Check) -> None:
    """Registers an app's ``derived_data_missing`` check under ``name`` (e.g. ``search``)."""
    _checks[name] = check


def stale_or_left_over(derived_at: dict[int, datetime]) -> set[int]:
    """For a check: given when each article's derived data was written (``derived_at``),
    the ids of the visible articles without it or with it older than their last
    publication, and of the articles that have it although readers no longer see them.
    One query of its own (two with the view restrictions)."""
    published = dict(
        ArticlePage.objects.published().order_by().values_list("pk", "last_published_at")
    )
    stale = {
        pk
        for pk, published_at in published.items()
        if pk not in derived_at or (published_at is not None and derived_at[pk] < published_at)
    }
    return stale | (derived_at.keys() - published.keys())


@dataclass
class ReconcileReport:
    events: int = 0
    repairs: int = 0

    def __str__(self) -> str:
        return gettext("Reconciliation: %(events)d missed events, %(repairs)d repairs") % {
            "events": self.events,
            "repairs": self.repairs,
        }


def _busy() -> set[int]:
    """Articles with outbox work not yet done."""
    prefix = subject(0)[:-1]
    return {
        int(name[len(prefix) :])
        for name in OutboxEntry.objects.filter(topic=ARTICLE_TOPIC, state__in=UNFINISHED)
        .values_list("subject", flat=True)
        .distinct()
    }


@transaction.atomic
def reconcile() -> ReconcileReport:
    # What it records can run into the thousands (a restored database, a bulk load): one
    # nudge for all of it, drained behind the desk's own publishes.
    with outbox_batch():
        return _reconcile()


def _reconcile() -> ReconcileReport:
    report = ReconcileReport()
    busy = _busy()
    report.events = len(articles_sync(None, skip=busy))
    broken: dict[int, list[str]] = {}
    for name, check in _checks.items():
        for article_id in check() - busy:
            broken.setdefault(article_id, []).append(name)
    if broken:
        facts = visible_facts(broken)
        for article_id, names in sorted(broken.items()):
            now = facts.get(article_id)
            kind = EventKind.CHANGED if now is not None else EventKind.HIDDEN
            event = ArticleEvent(kind, article_id, now, now)
            outbox_record(ARTICLE_TOPIC, subject(article_id), {**event.as_json(), "repair": names})
            logger.warning("Repairing %s of article %s", ", ".join(names), article_id)
        report.repairs = len(broken)
    if report.events or report.repairs:
        logger.warning("%s", report)
    return report


class Schedule:
    """Runs ``reconcile`` at the first scheduler run of a worker and then every
    ``INTERVAL`` seconds (the scheduler runs every minute)."""

    def __init__(self):
        self.last: float | None = None

    def __call__(self, sender=None, **kwargs) -> str | None:
        now = time.monotonic()
        if self.last is not None and now - self.last < INTERVAL:
            return None
        self.last = now
        return str(reconcile())
