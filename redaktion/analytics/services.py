"""Writing the counted reads to the database, and excluding articles from "Meistgelesen".

``reads_flush`` writes the pending batch in three steps, so that a worker that dies at any
point neither loses nor doubles a count:

1. ``take``: the batch is moved aside under an id (Redis: ``RENAMENX`` of the pending hash
   to the flushing hash, then ``HSETNX`` of the id; beacons meanwhile start a new batch).
   Dying here leaves the batch aside; the next flush takes that one first, and keeps its id
   if it had one.
2. one transaction: an ``AppliedFlush`` row with the batch's id, then per article and hour
   one ``UPDATE … SET views = views + n`` (the row is created on the first count of the
   hour; a concurrent creation is caught by the unique constraint and becomes an update),
   and the same per article, day and referrer host. Dying here rolls all of it back.
3. ``done``: the batch is forgotten. Dying before this, the batch is taken again by the
   next flush with the same id, whose ``AppliedFlush`` row exists: it is not written twice,
   only forgotten.

So the database sees one write per article and hour bucket (and referrer host) per flush,
once a minute, however many beacons arrived.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from redaktion.news.models import ArticlePage

from . import counting
from .models import AppliedFlush, ArticleReadHour, ArticleReferrer, MostReadExclusion

logger = logging.getLogger("redaktion.analytics")

# A batch left aside by a flush that did not finish is taken first, then the pending one.
MAX_BATCHES_PER_FLUSH = 2
APPLIED_FLUSH_DAYS = 7


def reads_flush(*, store=None) -> int:
    """Writes the pending batches of ``store`` (the configured one by default) to the
    database and returns the number of views written; 0 for a batch written before.
    Idempotent per batch (see the module docstring)."""
    store = store if store is not None else counting.store()
    written = 0
    for _ in range(MAX_BATCHES_PER_FLUSH):
        batch = store.take()
        if batch is None:
            break
        written += _apply(batch)
        store.done(batch.flush_id)
    AppliedFlush.objects.filter(
        applied_at__lt=timezone.now() - timedelta(days=APPLIED_FLUSH_DAYS)
    ).delete()
    return written


def _apply(batch: counting.Batch) -> int:
    views: dict[tuple, int] = defaultdict(int)
    referrers: dict[tuple, int] = defaultdict(int)
    for field, n in batch.counts.items():
        parsed = counting.parse_field(field)
        if parsed is None or n <= 0:
            continue
        if parsed[0] == "v":
            views[parsed[1:]] += n
        else:
            referrers[parsed[1:]] += n
    known = set(
        ArticlePage.objects.filter(pk__in={key[0] for key in (*views, *referrers)}).values_list(
            "pk", flat=True
        )
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                AppliedFlush.objects.create(flush_id=batch.flush_id)
        except IntegrityError:
            logger.info("A batch of reads (%s) was written before; skipped", batch.flush_id)
            return 0
        for (article_id, hour), n in sorted(views.items()):
            if article_id in known:
                _increment(ArticleReadHour, {"article_id": article_id, "hour": hour}, n)
        for (article_id, day, host), n in sorted(referrers.items()):
            if article_id in known:
                fields = {"article_id": article_id, "day": day, "host": host}
                _increment(ArticleReferrer, fields, n)
    return sum(n for (article_id, _hour), n in views.items() if article_id in known)


def _increment(model, fields: dict, n: int) -> None:
    rows = model.objects.filter(**fields)
    if rows.update(views=F("views") + n):
        return
    try:
        with transaction.atomic():
            model.objects.create(views=n, **fields)
    except IntegrityError:
        rows.update(views=F("views") + n)


def most_read_exclude(*, article: ArticlePage, reason: str = "") -> MostReadExclusion:
    """Keeps ``article`` out of "Meistgelesen" (idempotent); every list is refreshed after
    the commit (``signals.exclusion_changed``)."""
    exclusion, _created = MostReadExclusion.objects.update_or_create(
        article=article, defaults={"reason": reason}
    )
    return exclusion
