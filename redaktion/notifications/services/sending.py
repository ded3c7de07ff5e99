"""Sending: claim a leased batch, hand each message to its channel, mark it sent, back off
after a failure. The channels (``redaktion.notifications.channels``) do the talking.

Sending claims deliveries with a lease so that two workers (or a worker restarted after a
crash) never send one twice:

* ``pending`` rows due now are claimed in batches (``SELECT … FOR UPDATE SKIP LOCKED`` on
  PostgreSQL) and set to ``sending`` with ``claimed_at``;
* each is marked ``sent`` right after the mail server (or push service) accepted it;
* a batch whose worker died stays ``sending``; after ``LEASE`` it is ``pending`` again and
  only its unsent rows go out.

A crash between the server's acceptance and the ``sent`` mark would repeat that one message;
nothing else can.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .. import channels, messages, selectors
from ..channels.email import DigestConnection
from ..channels.marks import FastCommit, SentMarks
from ..models import Channel, Delivery, Subscriber
from .subscriptions import subscriber_delete

LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 5
BACKOFF = timedelta(minutes=1)
DIGEST_BATCH = 500


@dataclass
class SendResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    removed: int = 0
    batches: int = 0

    def add(self, other: SendResult) -> None:
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        self.removed += other.removed
        self.batches += other.batches

    def count_failure(self, status: str) -> None:
        """Counts a failed attempt by the status ``_back_off`` gave it."""
        if status == Delivery.Status.FAILED:
            self.failed += 1
        else:
            self.retried += 1


def release_expired_leases(*, now: datetime | None = None) -> int:
    """Deliveries claimed by a worker that died: back to ``pending`` after ``LEASE``."""
    now = now or timezone.now()
    return Delivery.objects.filter(
        status=Delivery.Status.SENDING, claimed_at__lt=now - LEASE
    ).update(status=Delivery.Status.PENDING)


def _claim(*, now: datetime, limit: int, **filters) -> list[int]:
    """Leases up to ``limit`` due deliveries matching ``filters``; rows another worker holds
    are skipped, not waited for."""
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now, **filters)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            Delivery.objects.filter(pk__in=ids).update(
                status=Delivery.Status.SENDING, claimed_at=now
            )
    return ids


def _mark_sent(pks: list[int]) -> None:
    Delivery.objects.filter(pk__in=pks).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), last_error=""
    )


def _back_off(delivery_ids: list[int], attempts: int, error: str, *, permanent: bool) -> str:
    """Records a failure: a retry after an exponential backoff, unless it is permanent or
    the attempts are used up. Returns the new status."""
    attempts += 1
    final = permanent or attempts >= MAX_ATTEMPTS
    status = Delivery.Status.FAILED if final else Delivery.Status.PENDING
    Delivery.objects.filter(pk__in=delivery_ids).update(
        status=status,
        attempts=attempts,
        last_error=error[:500],
        next_attempt_at=timezone.now() + BACKOFF * (2 ** max(attempts - 1, 0)),
    )
    return status


def _send_batch(channel: str, ids: list[int], result: SendResult) -> bool:
    """Sends one claimed batch over one connection of ``channel``. Returns False if the
    connection failed (the rest of the batch waits for a retry)."""
    batch = list(
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.SENDING)
        .select_related("subscriber")
        .order_by("pk")
    )
    infos = messages.alert_infos(batch)
    reasons = (
        selectors.delivery_reasons(
            (delivery.subscriber_id, delivery.article_id) for delivery in batch
        )
        if channel == Channel.EMAIL
        else {}
    )
    try:
        transport = channels.connect(channel, infos, reasons)
    except channels.Unreachable as exc:  # the service is away: the whole batch retries later
        _back_off([delivery.pk for delivery in batch], 0, exc.error, permanent=False)
        result.retried += len(batch)
        return False
    # Leaving the block reads the last mark's answer before the connection is closed.
    with contextlib.closing(transport), SentMarks() as marks:
        for index, delivery in enumerate(batch):
            if messages.info_key(delivery) not in infos:  # unpublished or deleted meanwhile
                marks.wait()
                _back_off([delivery.pk], MAX_ATTEMPTS, "article gone", permanent=True)
                result.failed += 1
                continue
            try:
                transport.send(delivery)
            except channels.Refused as exc:
                marks.wait()
                result.count_failure(
                    _back_off([delivery.pk], delivery.attempts, exc.error, permanent=exc.permanent)
                )
                continue
            except channels.Gone:
                marks.wait()
                subscriber_delete(subscriber=delivery.subscriber)
                result.removed += 1
                continue
            except channels.Unreachable as exc:
                marks.wait()
                rest = [pending.pk for pending in batch[index:]]
                _back_off(rest, delivery.attempts, exc.error, permanent=False)
                result.retried += len(rest)
                return False
            marks.mark(delivery.pk)
            result.sent += 1
    return True


def deliveries_send(
    *, channel: str, batch_size: int | None = None, max_batches: int | None = None
) -> SendResult:
    """Sends due instant deliveries of ``channel`` batch by batch until none are due (or
    ``max_batches``): each batch is claimed with a lease and goes over one connection.
    Safe to run in any number of workers at once; a channel that is not configured (web
    push without VAPID keys) sends nothing."""
    batch_size = batch_size or settings.NOTIFICATIONS_BATCH_SIZE
    result = SendResult()
    if not channels.configured(channel):
        return result
    release_expired_leases()
    with FastCommit():
        while max_batches is None or result.batches < max_batches:
            ids = _claim(now=timezone.now(), limit=batch_size, channel=channel, digest=False)
            if not ids:
                break
            result.batches += 1
            if not _send_batch(channel, ids, result):
                break
    return result


def digests_send(*, now: datetime | None = None, limit: int = 1000) -> SendResult:
    """Sends the digests that are due (see ``selectors.due_digest_subscribers``): one mail
    per subscriber with every article collected, over one mail connection. Raises
    ``channels.Unreachable`` if the mail server is away (nothing is claimed then)."""
    now = now or timezone.now()
    result = SendResult()
    subscriber_ids = selectors.due_digest_subscribers(now, limit=limit)
    if not subscriber_ids:
        return result
    release_expired_leases(now=now)
    subscribers = Subscriber.objects.in_bulk(subscriber_ids)
    with contextlib.closing(DigestConnection()) as transport:
        for subscriber_id in subscriber_ids:
            ids = _claim(now=now, limit=DIGEST_BATCH, subscriber_id=subscriber_id, digest=True)
            if not ids:
                continue
            rows = list(
                Delivery.objects.filter(pk__in=ids)
                .order_by("created_at", "pk")
                .values_list("pk", "article_id", "attempts")
            )
            infos = messages.article_infos([article_id for _pk, article_id, _a in rows])
            articles = [infos[article_id] for _pk, article_id, _a in rows if article_id in infos]
            if not articles:
                _back_off(ids, MAX_ATTEMPTS, "articles gone", permanent=True)
                continue
            reasons = selectors.delivery_reasons(
                (subscriber_id, article.pk) for article in articles
            )
            try:
                transport.send(
                    subscribers[subscriber_id],
                    articles,
                    {article_id: found for (_id, article_id), found in reasons.items()},
                )
            except channels.Refused as exc:
                attempts = max(attempts for _pk, _id, attempts in rows)
                _back_off(ids, attempts, exc.error, permanent=exc.permanent)
                result.retried += 1
                continue
            _mark_sent(ids)
            Subscriber.objects.filter(pk=subscriber_id).update(last_digest_at=now)
            result.sent += 1
    return result
