"""Fan-out: the deliveries an article's first publication (or an editor's breaking-news
resend, or a key event of a Liveticker) creates, one per follower, set-based and never
twice."""

from __future__ import annotations

import logging

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from redaktion.news.live import LiveTickerEntry
from redaktion.news.models import ArticlePage

from .. import selectors
from ..exceptions import NotificationError
from ..models import Announcement, Delivery

logger = logging.getLogger("redaktion.notifications")


def _announceable(article_id: int) -> ArticlePage | None:
    return ArticlePage.objects.published().filter(pk=article_id).first()


@transaction.atomic
def notification_announce(*, article_id: int) -> int:
    """The first publication of an article: records the announcement and fans out. Later
    publications (edits, republishing) find the record and notify no one; the record and
    the deliveries commit together. Returns the number of deliveries created."""
    article = _announceable(article_id)
    if article is None:
        return 0
    _announcement, created = Announcement.objects.get_or_create(article_id=article_id)
    if not created:
        return 0
    return notification_fan_out(article=article, reason=Delivery.Reason.NEW)


def notification_breaking(*, article_id: int) -> int:
    """An editor's "Eilmeldung": every follower gets the article once more, at once, also
    those on a digest. Once per article (the unique constraint keeps a second resend from
    adding anything). Returns the number of deliveries created."""
    article = _announceable(article_id)
    if article is None:
        raise NotificationError(_("Only a published, public article can be sent as breaking news."))
    Announcement.objects.update_or_create(
        article_id=article_id, defaults={"breaking_at": timezone.now()}
    )
    return notification_fan_out(article=article, reason=Delivery.Reason.BREAKING)


def notification_key_event(*, ticker_id: int, entry_id: int) -> int:
    """A Liveticker entry marked "wichtig": the ticker's followers (its Ressort, topics and
    authors; push and instant email) get it once, whenever and however often this runs
    (the unique ``Delivery`` of each subscriber, ticker, channel and entry). Nothing for a
    ticker readers cannot see or an entry gone or no longer a key event. Returns the number
    of deliveries created."""
    ticker = _announceable(ticker_id)
    if ticker is None:
        return 0
    if not LiveTickerEntry.objects.filter(
        pk=entry_id, ticker_id=ticker_id, is_key_event=True
    ).exists():
        return 0
    return notification_fan_out(article=ticker, reason=Delivery.Reason.KEY_EVENT, entry_id=entry_id)


def notification_fan_out(*, article: ArticlePage, reason: str, entry_id: int = 0) -> int:
    """One ``Delivery`` per (follower, article, channel, reason, entry) in a single
    ``INSERT … SELECT … ON CONFLICT DO NOTHING``: set-based, and a repeat inserts nothing.
    Returns the number of rows inserted."""
    targets = selectors.article_targets(article)
    rows = selectors.fan_out_rows(
        targets, article_id=article.pk, reason=reason, now=timezone.now(), entry_id=entry_id
    )
    select_sql, params = rows.query.sql_with_params()
    table = connection.ops.quote_name(Delivery._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in selectors.FAN_OUT_COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) {select_sql} ON CONFLICT DO NOTHING",  # noqa: S608
            params,
        )
        inserted = max(cursor.rowcount, 0)
    logger.info("Fan-out of article %s (%s): %d deliveries", article.pk, reason, inserted)
    return inserted
