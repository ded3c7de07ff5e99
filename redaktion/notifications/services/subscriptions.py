"""Subscriptions: the double opt-in, the manage page's changes, web push subscriptions."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from redaktion.news.models import Author, RessortPage, Topic

from .. import messages, selectors, tokens
from ..exceptions import NotificationError
from ..models import Channel, Delivery, Follow, FollowKind, Rhythm, Subscriber

MAX_FOLLOWS = 50


def consent_text() -> str:
    """The consent the follow box shows, in the active language; stored with each subscriber."""
    return _(
        "I agree that this site stores my address (or my browser's push subscription) and "
        "what I follow, to tell me about new articles. I can pause or unsubscribe at any "
        "time, and every message has a link for it."
    )


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
