"""Writes of the notifications app: subscribe, confirm, manage, fan out and send.

Every service is keyword-only and safe to repeat: confirmations merge, a fan-out inserts
with ``ON CONFLICT DO NOTHING`` against the unique ``Delivery`` constraint, and sending
claims deliveries with a lease so that two workers (or a worker restarted after a crash)
never send one twice:

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
import logging
import secrets
import select
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.validators import validate_email
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from redaktion.news.models import ArticlePage, Author, RessortPage, Topic

from . import messages, selectors, tokens
from .models import Announcement, Channel, Delivery, Follow, FollowKind, Rhythm, Subscriber

logger = logging.getLogger("redaktion.notifications")

LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 5
BACKOFF = timedelta(minutes=1)
MAX_FOLLOWS = 50


class NotificationError(Exception):
    """A request the reader has to correct; the message says what."""


def consent_text() -> str:
    """The consent the follow box shows, in the active language; stored with each subscriber."""
    return _(
        "I agree that this site stores my address (or my browser's push subscription) and "
        "what I follow, to tell me about new articles. I can pause or unsubscribe at any "
        "time, and every message has a link for it."
    )


def _backoff(attempts: int) -> timedelta:
    return BACKOFF * (2 ** max(attempts - 1, 0))


# Reader requests ---------------------------------------------------------------------------


def parse_follows(values: list[str]) -> list[tuple[str, int]]:
    """``["topic:3", "ressort:12"]`` → existing (kind, id) pairs; unknown ones are dropped.
    Three queries at most."""
    pairs: set[tuple[str, int]] = set()
    for value in values[: MAX_FOLLOWS * 2]:
        kind, _sep, raw = str(value).partition(":")
        if kind in FollowKind.values and raw.isdigit():
            pairs.add((kind, int(raw)))
    wanted = {kind: {pk for k, pk in pairs if k == kind} for kind in FollowKind.values}
    existing: set[tuple[str, int]] = set()
    if wanted[FollowKind.RESSORT]:
        existing |= {
            (FollowKind.RESSORT.value, pk)
            for pk in RessortPage.objects.live()
            .filter(pk__in=wanted[FollowKind.RESSORT])
            .values_list("pk", flat=True)
        }
    if wanted[FollowKind.TOPIC]:
        existing |= {
            (FollowKind.TOPIC.value, pk)
            for pk in Topic.objects.filter(pk__in=wanted[FollowKind.TOPIC]).values_list(
                "pk", flat=True
            )
        }
    if wanted[FollowKind.AUTHOR]:
        existing |= {
            (FollowKind.AUTHOR.value, pk)
            for pk in Author.objects.filter(pk__in=wanted[FollowKind.AUTHOR]).values_list(
                "pk", flat=True
            )
        }
    return sorted(existing)[:MAX_FOLLOWS]


def _clean_rhythm(rhythm: str, digest_hour) -> tuple[str, int]:
    if rhythm not in Rhythm.values:
        raise NotificationError(_("Choose at once or a daily digest."))
    try:
        hour = int(digest_hour)
    except (TypeError, ValueError):
        hour = 7
    if not 0 <= hour <= 23:
        raise NotificationError(_("Choose an hour between 0 and 23 for the digest."))
    return rhythm, hour


def _clean_language(language: str) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    return language if language in codes else settings.LANGUAGE_CODE


def subscription_request(
    *,
    email: str,
    follows: list[str],
    rhythm: str,
    digest_hour,
    language: str,
    send: bool = True,
) -> str:
    """Sends the double opt-in mail for ``email``; stores nothing.

    The confirmation link carries the whole request (address, follows, rhythm, language,
    consent text and time), signed and valid for ``tokens.CONFIRM_MAX_AGE``; only following
    it creates or updates a subscriber. So the answer and the stored data are the same
    whether or not the address is subscribed already. Returns the token.
    """
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise NotificationError(_("Enter a valid email address.")) from exc
    pairs = parse_follows(follows)
    if not pairs:
        raise NotificationError(_("Choose at least one thing to follow."))
    rhythm, hour = _clean_rhythm(rhythm, digest_hour)
    language = _clean_language(language)
    token = tokens.confirm_token(
        {
            "e": email.lower(),
            "f": [[kind, pk] for kind, pk in pairs],
            "r": rhythm,
            "h": hour,
            "l": language,
            "c": consent_text(),
            "t": timezone.now().isoformat(),
        }
    )
    if send:
        message = messages.confirmation_email(
            email=email,
            language=language,
            token=token,
            follows=selectors.follow_items(pairs),
        )
        message.send()
    return token


def _add_follows(subscriber: Subscriber, pairs) -> None:
    Follow.objects.bulk_create(
        [Follow(subscriber=subscriber, kind=kind, target_id=pk) for kind, pk in pairs],
        ignore_conflicts=True,
    )


@transaction.atomic
def subscription_confirm(*, token: str) -> Subscriber:
    """Creates the subscriber of a confirmation link, or adds the link's follows to an
    existing one and takes over its rhythm; repeating it changes nothing more."""
    try:
        data = tokens.read_confirm_token(token)
    except tokens.InvalidToken as exc:
        raise NotificationError(
            _("This confirmation link is invalid or has expired. Please subscribe again.")
        ) from exc
    subscriber, created = Subscriber.objects.select_for_update().get_or_create(
        email=data["e"],
        defaults={
            "channel": Channel.EMAIL,
            "key": secrets.token_urlsafe(16),
            "consent_text": data["c"],
            "consented_at": datetime.fromisoformat(data["t"]),
        },
    )
    subscriber.status = Subscriber.Status.ACTIVE
    subscriber.rhythm = data["r"]
    subscriber.digest_hour = data["h"]
    subscriber.language = data["l"]
    subscriber.consent_text = data["c"]
    subscriber.consented_at = datetime.fromisoformat(data["t"])
    subscriber.confirmed_at = subscriber.confirmed_at or timezone.now()
    subscriber.save()
    _add_follows(subscriber, [(kind, int(pk)) for kind, pk in data["f"]])
    return subscriber


def manage_link_request(*, email: str) -> None:
    """Mails the manage link to ``email`` if it is a subscriber; silent otherwise."""
    subscriber = Subscriber.objects.filter(
        email=(email or "").strip().lower(), channel=Channel.EMAIL
    ).first()
    if subscriber is not None:
        messages.manage_link_email(subscriber).send()


def subscriber_from_token(token: str, *, salt: str, max_age: int | None = None) -> Subscriber:
    try:
        pk, key = tokens.read_subscriber_token(token, salt=salt, max_age=max_age)
    except tokens.InvalidToken as exc:
        raise NotificationError(_("This link is invalid or has expired.")) from exc
    subscriber = Subscriber.objects.filter(pk=pk, key=key).first()
    if subscriber is None:
        raise NotificationError(_("This link is invalid or has expired."))
    return subscriber


@transaction.atomic
def subscriber_update(
    *, subscriber: Subscriber, follows: list[str], rhythm: str, digest_hour, language: str
) -> Subscriber:
    """Replaces what ``subscriber`` follows and sets rhythm and language."""
    rhythm, hour = _clean_rhythm(rhythm, digest_hour)
    pairs = parse_follows(follows)
    subscriber.rhythm, subscriber.digest_hour = rhythm, hour
    subscriber.language = _clean_language(language)
    subscriber.save(update_fields=["rhythm", "digest_hour", "language"])
    keep = {(kind, pk) for kind, pk in pairs}
    stale = [
        follow.pk
        for follow in subscriber.follows.all()
        if (follow.kind, follow.target_id) not in keep
    ]
    Follow.objects.filter(pk__in=stale).delete()
    _add_follows(subscriber, pairs)
    if rhythm == Rhythm.INSTANT:
        # Collected digest items go out at once now.
        subscriber.deliveries.filter(status=Delivery.Status.PENDING, digest=True).update(
            digest=False
        )
    return subscriber


def subscriber_set_status(*, subscriber: Subscriber, status: str) -> Subscriber:
    """Pause, resume or unsubscribe. Pausing or unsubscribing drops what was waiting to be
    sent; unsubscribing also forgets the follows."""
    if status not in Subscriber.Status.values:
        raise NotificationError(_("Unknown status."))
    with transaction.atomic():
        subscriber.status = status
        subscriber.save(update_fields=["status"])
        if status != Subscriber.Status.ACTIVE:
            subscriber.deliveries.filter(status=Delivery.Status.PENDING).delete()
        if status == Subscriber.Status.UNSUBSCRIBED:
            subscriber.follows.all().delete()
    return subscriber


def subscriber_delete(*, subscriber: Subscriber) -> None:
    """Deletes the subscriber with its follows and deliveries: no personal data is left."""
    with transaction.atomic():
        Delivery.objects.filter(subscriber=subscriber).delete()
        Follow.objects.filter(subscriber=subscriber).delete()
        subscriber.delete()


def push_subscribe(*, subscription: dict, follows: list[str], language: str) -> Subscriber:
    """Stores a browser's push subscription with what it follows (the browser's permission
    prompt is the opt-in); a known endpoint is updated."""
    try:
        endpoint = str(subscription["endpoint"])
        p256dh = str(subscription["keys"]["p256dh"])
        auth = str(subscription["keys"]["auth"])
    except (KeyError, TypeError) as exc:
        raise NotificationError(_("The browser sent an incomplete push subscription.")) from exc
    if not endpoint.startswith(("https://", "http://")) or len(endpoint) > 1000:
        raise NotificationError(_("The browser sent an incomplete push subscription."))
    pairs = parse_follows(follows)
    if not pairs:
        raise NotificationError(_("Choose at least one thing to follow."))
    now = timezone.now()
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.update_or_create(
            push_endpoint=endpoint,
            defaults={
                "channel": Channel.PUSH,
                "push_p256dh": p256dh,
                "push_auth": auth,
                "status": Subscriber.Status.ACTIVE,
                "rhythm": Rhythm.INSTANT,
                "language": _clean_language(language),
                "consent_text": consent_text(),
                "consented_at": now,
                "confirmed_at": now,
            },
            create_defaults={
                "channel": Channel.PUSH,
                "push_p256dh": p256dh,
                "push_auth": auth,
                "language": _clean_language(language),
                "key": secrets.token_urlsafe(16),
                "consent_text": consent_text(),
                "consented_at": now,
                "confirmed_at": now,
            },
        )
        _add_follows(subscriber, pairs)
    return subscriber


def push_unsubscribe(*, endpoint: str) -> bool:
    """Deletes the push subscriber of ``endpoint``; True if there was one."""
    subscriber = Subscriber.objects.filter(push_endpoint=endpoint).first()
    if subscriber is None:
        return False
    subscriber_delete(subscriber=subscriber)
    return True


# Fan-out -----------------------------------------------------------------------------------


def _announceable(article_id: int) -> ArticlePage | None:
    return ArticlePage.objects.live().public().filter(pk=article_id).first()


def notification_announce(*, article_id: int) -> int:
    """The first publication of an article: records the announcement and fans out. Later
    publications (edits, republishing) find the record and notify no one. Returns the
    number of deliveries created."""
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


def notification_fan_out(*, article: ArticlePage, reason: str) -> int:
    """One ``Delivery`` per (follower, article, channel, reason) in a single
    ``INSERT … SELECT … ON CONFLICT DO NOTHING``: set-based, and a repeat inserts nothing.
    Returns the number of rows inserted."""
    targets = selectors.article_targets(article)
    rows = selectors.fan_out_rows(targets, article_id=article.pk, reason=reason, now=timezone.now())
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


# Sending -----------------------------------------------------------------------------------


@dataclass
class SendResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    removed: int = 0
    batches: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: SendResult) -> None:
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        self.removed += other.removed
        self.batches += other.batches


def release_expired_leases(*, now: datetime | None = None) -> int:
    """Deliveries claimed by a worker that died: back to ``pending`` after ``LEASE``."""
    now = now or timezone.now()
    return Delivery.objects.filter(
        status=Delivery.Status.SENDING, claimed_at__lt=now - LEASE
    ).update(status=Delivery.Status.PENDING)


def _claim(*, now: datetime, limit: int, **filters) -> list[int]:
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


_MARK_ONE_SQL = (
    "UPDATE notifications_delivery SET status = %s, sent_at = %s, last_error = '' WHERE id = %s"
)


class _SentMarks:
    """``_mark_sent`` for one row at a time: it runs once per message.

    On PostgreSQL the ``UPDATE`` (a statement prepared once per batch) is written to the
    server's socket without waiting for its answer, which is read just before the next
    mark goes out: the server executes it while the worker talks SMTP to the next
    recipient. The mark is on the server before the next message starts, so a worker
    killed after that loses no mark; a worker killed earlier repeats at most the one
    message whose acceptance it had not yet written down, as before. Elsewhere it is a
    plain ``UPDATE`` that waits for its answer.
    """

    NAME = b"notifications_mark_sent"
    SQL = (
        b"UPDATE notifications_delivery SET status = 'sent', sent_at = $1::timestamptz,"
        b" last_error = '' WHERE id = $2::bigint"
    )

    def __init__(self):
        connection.ensure_connection()
        self.pgconn = None
        self.pending = False
        if connection.vendor == "postgresql":
            from psycopg import pq

            self.ok = (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK)
            self.pgconn = connection.connection.pgconn
            self._check(self.pgconn.prepare(self.NAME, self.SQL))
        else:
            self.cursor = connection.cursor()

    def mark(self, pk: int) -> None:
        if self.pgconn is None:
            self.cursor.execute(_MARK_ONE_SQL, [Delivery.Status.SENT.value, timezone.now(), pk])
            return
        self.wait()
        params = [timezone.now().isoformat().encode(), str(pk).encode()]
        self.pgconn.send_query_prepared(self.NAME, params)  # raises if it cannot
        self.pending = True
        while self.pgconn.flush():  # the socket is non-blocking: until all of it is out
            select.select([], [self.pgconn.socket], [])

    def wait(self) -> None:
        """Reads the answer to the last mark (raises if the ``UPDATE`` failed)."""
        if not self.pending:
            return
        self.pending = False
        pgconn = self.pgconn
        pgconn.consume_input()
        while pgconn.is_busy():
            select.select([pgconn.socket], [], [])
            pgconn.consume_input()
        results = []
        while (result := pgconn.get_result()) is not None:
            results.append(result)
        for result in results:
            self._check(result)

    def close(self) -> None:
        if self.pgconn is None:
            self.cursor.close()
            return
        try:
            self.wait()
        finally:
            self._check(self.pgconn.close_prepared(self.NAME))

    def _check(self, result) -> None:
        if result.status not in self.ok:
            message = result.error_message.decode(errors="replace")
            raise OperationalError(f"marking a delivery sent failed: {message}")


def _mark_failed(delivery_ids: list[int], attempts: int, error: str, *, permanent: bool) -> str:
    """Records a failure; a retry with exponential backoff unless it is permanent or the
    attempts are used up. Returns the new status."""
    attempts += 1
    final = permanent or attempts >= MAX_ATTEMPTS
    status = Delivery.Status.FAILED if final else Delivery.Status.PENDING
    Delivery.objects.filter(pk__in=delivery_ids).update(
        status=status,
        attempts=attempts,
        last_error=error[:500],
        next_attempt_at=timezone.now() + _backoff(attempts),
    )
    return status


def _smtp_failure(exc: Exception) -> tuple[str, bool]:
    """(error text, permanent?) of an SMTP error: 5xx answers are permanent."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
        return f"{code} {text!r}", 500 <= code < 600
    code = getattr(exc, "smtp_code", None)
    if isinstance(code, int):
        return f"{code} {getattr(exc, 'smtp_error', '')!r}", 500 <= code < 600
    return f"{type(exc).__name__}: {exc}", False


class _FastCommit:
    """On PostgreSQL the per-message ``sent`` marks skip the wait for the WAL flush
    (``synchronous_commit = off``): a database crash could lose the last marks of a
    fraction of a second, a worker crash cannot, since the server has them."""

    def __enter__(self):
        self.active = connection.vendor == "postgresql"
        if self.active:
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO OFF")
        return self

    def __exit__(self, *exc):
        if self.active and connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")


def _send_alert(mail, renderer: messages.AlertRenderer, delivery: Delivery) -> None:
    """Sends one alert over the open connection ``mail``. With Django's SMTP backend the
    prebuilt bytes go straight to its smtplib connection; any other backend (anymail)
    gets an ``EmailMessage``."""
    breaking = delivery.reason == Delivery.Reason.BREAKING
    subscriber = delivery.subscriber
    if isinstance(mail, SMTPBackend) and mail.connection is not None:
        raw = renderer.raw(subscriber=subscriber, article_id=delivery.article_id, breaking=breaking)
        if raw is not None:
            mail.connection.sendmail(settings.DEFAULT_FROM_EMAIL, [subscriber.email], raw)
            return
    message = renderer.email(
        subscriber=subscriber, article_id=delivery.article_id, breaking=breaking, connection=mail
    )
    if not mail.send_messages([message]):
        raise smtplib.SMTPServerDisconnected("the backend sent nothing")


def _send_email_batch(ids: list[int], result: SendResult) -> bool:
    """Sends one claimed batch over one SMTP connection. Returns False if the connection
    failed (the rest of the batch is released for a later retry)."""
    batch = list(
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.SENDING)
        .select_related("subscriber")
        .order_by("pk")
    )
    renderer = messages.AlertRenderer(messages.article_infos({d.article_id for d in batch}))
    mail = get_connection()
    try:
        mail.open()
    except Exception as exc:  # the server is away: the whole batch retries later
        _mark_failed([d.pk for d in batch], 0, f"{type(exc).__name__}: {exc}", permanent=False)
        result.retried += len(batch)
        return False
    marks = _SentMarks()
    try:
        for index, delivery in enumerate(batch):
            if delivery.article_id not in renderer.infos:  # unpublished meanwhile
                marks.wait()
                _mark_failed([delivery.pk], MAX_ATTEMPTS, "article gone", permanent=True)
                result.failed += 1
                continue
            try:
                _send_alert(mail, renderer, delivery)
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as exc:
                # This message was refused (SMTPException is an OSError: catch it first).
                marks.wait()
                error, permanent = _smtp_failure(exc)
                status = _mark_failed([delivery.pk], delivery.attempts, error, permanent=permanent)
                if status == Delivery.Status.FAILED:
                    result.failed += 1
                else:
                    result.retried += 1
                continue
            except (smtplib.SMTPServerDisconnected, OSError) as exc:
                marks.wait()
                rest = [d.pk for d in batch[index:]]
                _mark_failed(
                    rest, delivery.attempts, f"{type(exc).__name__}: {exc}", permanent=False
                )
                result.retried += len(rest)
                return False
            except Exception as exc:
                marks.wait()
                error, permanent = _smtp_failure(exc)
                status = _mark_failed([delivery.pk], delivery.attempts, error, permanent=permanent)
                if status == Delivery.Status.FAILED:
                    result.failed += 1
                else:
                    result.retried += 1
                continue
            marks.mark(delivery.pk)
            result.sent += 1
    finally:
        marks.close()
        # The batch is done; a failing QUIT changes nothing.
        with contextlib.suppress(Exception):
            mail.close()
    return True


def _send_push_batch(ids: list[int], result: SendResult) -> bool:
    from py_vapid import Vapid
    from pywebpush import WebPushException, webpush

    batch = list(
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.SENDING)
        .select_related("subscriber")
        .order_by("pk")
    )
    infos = messages.article_infos({d.article_id for d in batch})
    vapid = Vapid.from_string(settings.VAPID_PRIVATE_KEY)
    with requests.Session() as session:
        for delivery in batch:
            subscriber = delivery.subscriber
            info = infos.get(delivery.article_id)
            if info is None:
                _mark_failed([delivery.pk], MAX_ATTEMPTS, "article gone", permanent=True)
                result.failed += 1
                continue
            try:
                webpush(
                    {
                        "endpoint": subscriber.push_endpoint,
                        "keys": {"p256dh": subscriber.push_p256dh, "auth": subscriber.push_auth},
                    },
                    data=messages.push_payload(
                        info,
                        breaking=delivery.reason == Delivery.Reason.BREAKING,
                        language=subscriber.language,
                    ),
                    vapid_private_key=vapid,
                    vapid_claims={"sub": settings.VAPID_SUBJECT},
                    ttl=24 * 3600,
                    timeout=10,
                    requests_session=session,
                )
            except WebPushException as exc:
                status = exc.response.status_code if exc.response is not None else None
                if status in (404, 410):
                    # The browser dropped the subscription: forget it.
                    subscriber_delete(subscriber=subscriber)
                    result.removed += 1
                    continue
                permanent = status is not None and 400 <= status < 500 and status != 429
                new = _mark_failed([delivery.pk], delivery.attempts, str(exc), permanent=permanent)
                result.failed += new == Delivery.Status.FAILED
                result.retried += new != Delivery.Status.FAILED
                continue
            except requests.RequestException as exc:
                _mark_failed([delivery.pk], delivery.attempts, str(exc), permanent=False)
                result.retried += 1
                continue
            _mark_sent([delivery.pk])
            result.sent += 1
    return True


def deliveries_send(
    *, channel: str, batch_size: int | None = None, max_batches: int | None = None
) -> SendResult:
    """Sends due instant deliveries of ``channel`` batch by batch until none are due (or
    ``max_batches``): each batch is claimed with a lease and goes over one connection.
    Safe to run in any number of workers at once."""
    batch_size = batch_size or settings.NOTIFICATIONS_BATCH_SIZE
    result = SendResult()
    send_batch = _send_email_batch if channel == Channel.EMAIL else _send_push_batch
    if channel == Channel.PUSH and not settings.VAPID_PRIVATE_KEY:
        return result
    release_expired_leases()
    with _FastCommit():
        while max_batches is None or result.batches < max_batches:
            ids = _claim(now=timezone.now(), limit=batch_size, channel=channel, digest=False)
            if not ids:
                break
            result.batches += 1
            if not send_batch(ids, result):
                break
    return result


def digests_send(*, now: datetime | None = None, limit: int = 1000) -> SendResult:
    """Sends the digests that are due (see ``selectors.due_digest_subscribers``): one mail
    per subscriber with every article collected, over one SMTP connection."""
    now = now or timezone.now()
    result = SendResult()
    subscriber_ids = selectors.due_digest_subscribers(now, limit=limit)
    if not subscriber_ids:
        return result
    release_expired_leases(now=now)
    subscribers = Subscriber.objects.in_bulk(subscriber_ids)
    mail = get_connection()
    with mail:
        for subscriber_id in subscriber_ids:
            ids = _claim(now=now, limit=500, subscriber_id=subscriber_id, digest=True)
            if not ids:
                continue
            rows = list(
                Delivery.objects.filter(pk__in=ids)
                .order_by("created_at", "pk")
                .values_list("pk", "article_id", "attempts")
            )
            infos = messages.article_infos([article_id for _pk, article_id, _a in rows])
            articles = [infos[article_id] for _pk, article_id, _a in rows if article_id in infos]
            subscriber = subscribers[subscriber_id]
            if not articles:
                _mark_failed(ids, MAX_ATTEMPTS, "articles gone", permanent=True)
                continue
            try:
                mail.send_messages(
                    [
                        messages.digest_email(
                            subscriber=subscriber, articles=articles, connection=mail
                        )
                    ]
                )
            except Exception as exc:
                error, permanent = _smtp_failure(exc)
                _mark_failed(ids, max(a for _p, _i, a in rows), error, permanent=permanent)
                result.retried += 1
                continue
            _mark_sent(ids)
            Subscriber.objects.filter(pk=subscriber_id).update(last_digest_at=now)
            result.sent += 1
    return result
