"""Writing the counted reads to the database, and excluding articles from "Meistgelesen".

``reads_flush`` writes the pending batch in three steps, so that a worker that dies at any
point neither loses nor doubles a count:

1. ``take``: the batch is moved aside under an id (Redis: ``RENAMENX`` of the pending hash
   to the flushing hash, then ``HSETNX`` of the id; beacons meanwhile start a new batch).
   Dying here leaves the batch aside; the next flush takes that one first, and keeps its id
   if it had one.
2. one transaction: an ``AppliedFlush`` row with the batch's id, then per article and hour
   its row with the views and the referrer hosts added (``_add_to_rows``: the existing rows
   locked and written in one statement, a missing one created). Dying here rolls all of it
   back.
3. ``done``: the batch is forgotten. Dying before this, the batch is taken again by the
   next flush with the same id, whose ``AppliedFlush`` row exists: it is not written twice,
   only forgotten.

So the database sees one row written per article and hour per flush, once a minute, however
many beacons arrived and wherever the readers came from.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from redaktion.news.models import ArticlePage

from . import counting
from .models import AppliedFlush, ArticleReadHour, MostReadExclusion

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


@dataclass
class _Bucket:
    views: int = 0
    referrers: Counter = field(default_factory=Counter)


def _apply(batch: counting.Batch) -> int:
    buckets: dict[tuple[int, datetime], _Bucket] = defaultdict(_Bucket)
    for name, n in batch.counts.items():
        parsed = counting.parse_field(name)
        if parsed is None or n <= 0:
            continue
        bucket = buckets[parsed[1], parsed[2]]
        if parsed[0] == "v":
            bucket.views += n
        else:
            bucket.referrers[parsed[3]] += n
    known = set(
        ArticlePage.objects.filter(pk__in={article for article, _hour in buckets}).values_list(
            "pk", flat=True
        )
    )
    buckets = {key: bucket for key, bucket in buckets.items() if key[0] in known}
    with transaction.atomic():
        # First, so that on SQLite this transaction holds the write lock before it reads
        # the rows it adds to (another process's flush waits for it).
        try:
            with transaction.atomic():
                AppliedFlush.objects.create(flush_id=batch.flush_id)
        except IntegrityError:
            logger.info("A batch of reads (%s) was written before; skipped", batch.flush_id)
            return 0
        _add_to_rows(buckets)
    return sum(bucket.views for bucket in buckets.values())


def _add_to_rows(buckets: dict[tuple[int, datetime], _Bucket]) -> None:
    """Adds each bucket to its article's row for the hour: the rows that exist are locked
    (``SELECT … FOR UPDATE`` on PostgreSQL), added to and written in one statement; a
    missing row is created, or, where a concurrent flush created it first (the unique
    constraint), locked and added to."""
    rows = ArticleReadHour.objects.select_for_update().order_by("pk")
    existing = {
        (row.article_id, row.hour): row
        for row in rows.filter(
            article_id__in={article for article, _hour in buckets},
            hour__in={hour for _article, hour in buckets},
        )
    }
    changed = []
    for (article_id, hour), bucket in sorted(buckets.items()):
        row = existing.get((article_id, hour))
        if row is None:
            try:
                with transaction.atomic():
                    ArticleReadHour.objects.create(
                        article_id=article_id,
                        hour=hour,
                        views=bucket.views,
                        referrers=dict(bucket.referrers),
                    )
                continue
            except IntegrityError:
                row = rows.get(article_id=article_id, hour=hour)
        row.views += bucket.views
        row.referrers = dict(Counter(row.referrers) + bucket.referrers)
        changed.append(row)
    ArticleReadHour.objects.bulk_update(changed, ["views", "referrers"], batch_size=500)


def most_read_exclude(*, article: ArticlePage, reason: str = "") -> MostReadExclusion:
    """Keeps ``article`` out of "Meistgelesen" (idempotent); every list is refreshed after
    the commit (``signals.exclusion_changed``)."""
    exclusion, _created = MostReadExclusion.objects.update_or_create(
        article=article, defaults={"reason": reason}
    )
    return exclusion
