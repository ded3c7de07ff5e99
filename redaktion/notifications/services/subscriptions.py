"""Subscriptions: the double opt-in, the manage page's changes, web push subscriptions.

Reader input arrives cleaned by the forms (``forms.py``): an address that is one, follows as
(kind, id) pairs, a known rhythm, an hour of the day. The rules kept here are the domain's:
only existing targets are followed, at most ``MAX_FOLLOWS`` of them, an address is stored
only once its owner has confirmed it, and unsubscribing or deleting leaves nothing behind.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from redaktion.news.models import Author, RessortPage, Topic

from .. import messages, selectors, tokens
from ..exceptions import NotificationError
from ..models import (
    Channel,
    DeletedAddress,
    Delivery,
    Follow,
    FollowKind,
    Rhythm,
    Subscriber,
)

MAX_FOLLOWS = 50


def consent_text() -> str:
    """The consent the follow box shows, in the active language; stored with each subscriber."""
    return _(
        "I agree that this site stores my address (or my browser's push subscription) and "
        "what I follow, to tell me about new articles. I can pause or unsubscribe at any "
        "time, and every message has a link for it."
    )


def existing_follows(pairs: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """The (kind, id) pairs whose target exists (a live Ressort, a topic, an author), sorted,
    at most ``MAX_FOLLOWS``; one query per kind present."""
    wanted: dict[str, set[int]] = {kind: set() for kind in FollowKind.values}
    for kind, pk in pairs:
        wanted[kind].add(pk)
    targets = {
        FollowKind.RESSORT: RessortPage.objects.live(),
        FollowKind.TOPIC: Topic.objects.all(),
        FollowKind.AUTHOR: Author.objects.all(),
    }
    existing = [
        (kind.value, pk)
        for kind, queryset in targets.items()
        if wanted[kind]
        for pk in queryset.filter(pk__in=wanted[kind]).values_list("pk", flat=True)
    ]
    return sorted(existing)[:MAX_FOLLOWS]


def _clean_language(language: str) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    return language if language in codes else settings.LANGUAGE_CODE


def subscription_request(
    *,
    email: str,
    follows: Iterable[tuple[str, int]],
    rhythm: str,
    digest_hour: int,
    language: str,
) -> str:
    """The confirmation token of a subscription request; stores and sends nothing (the
    confirmation mail is the task ``send_confirmation``'s, out of the request).

    The token carries the whole request (address, follows, rhythm, language, consent text
    and time), signed and valid for ``tokens.CONFIRM_MAX_AGE``; only following it creates or
    updates a subscriber. So the answer and the stored data are the same whether or not the
    address is subscribed already.
    """
    pairs = existing_follows(follows)
    if not pairs:
        raise NotificationError(_("Choose at least one thing to follow."))
    return tokens.confirm_token(
        {
            "e": email.strip().lower(),
            "f": [[kind, pk] for kind, pk in pairs],
            "r": rhythm,
            "h": digest_hour,
            "l": _clean_language(language),
            "c": consent_text(),
            "t": timezone.now().isoformat(),
        }
    )


def confirmation_send(*, token: str) -> bool:
    """Mails the confirmation link ``token`` to its address; False (and nothing sent) once
    the token has expired or its address was deleted after the request. Raises what the mail
    backend raises."""
    try:
        data = confirmation_data(token)
    except NotificationError:
        return False
    message = messages.confirmation_email(
        email=data["e"],
        language=data["l"],
        token=token,
        follows=selectors.follow_items([(kind, int(pk)) for kind, pk in data["f"]]),
    )
    message.send()
    return True


def confirmation_data(token: str) -> dict:
    """The request a confirmation token carries, unless it expired or its address has been
    deleted since (a link from before "delete my data" must not bring the address back)."""
    try:
        data = tokens.read_confirm_token(token)
    except tokens.InvalidToken as exc:
        raise NotificationError(
            _("This confirmation link is invalid or has expired. Please subscribe again.")
        ) from exc
    requested_at = datetime.fromisoformat(data["t"])
    if DeletedAddress.objects.filter(
        digest=DeletedAddress.digest_of(data["e"]), deleted_at__gte=requested_at
    ).exists():
        raise NotificationError(
            _("This confirmation link is invalid or has expired. Please subscribe again.")
        )
    return data


def _add_follows(subscriber: Subscriber, pairs) -> None:
    Follow.objects.bulk_create(
        [Follow(subscriber=subscriber, kind=kind, target_id=pk) for kind, pk in pairs],
        ignore_conflicts=True,
    )


@transaction.atomic
def subscription_confirm(*, token: str) -> Subscriber:
    """Creates the subscriber of a confirmation link, or adds the link's follows to an
    existing one and takes over its rhythm; repeating it changes nothing more."""
    data = confirmation_data(token)
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


def manage_link_send(*, email: str) -> bool:
    """Mails the manage link to ``email`` if it is a subscriber (True); silent otherwise.
    Runs in the task ``send_manage_link``, never in the request: the lookup and the mail
    take time only for subscribers. Raises what the mail backend raises."""
    subscriber = Subscriber.objects.filter(
        email=email.strip().lower(), channel=Channel.EMAIL
    ).first()
    if subscriber is None:
        return False
    messages.manage_link_email(subscriber).send()
    return True


def subscriber_from_token(token: str, *, salt: str, max_age: int | None = None) -> Subscriber:
    """The subscriber of a signed link (``tokens``); the link dies with the subscriber."""
    try:
        pk, key = tokens.read_subscriber_token(token, salt=salt, max_age=max_age)
    except tokens.InvalidToken as exc:
        raise NotificationError(_("This link is invalid or has expired.")) from exc
    subscriber = Subscriber.objects.filter(pk=pk, key=key).first()
    if subscriber is None:
        raise NotificationError(_("This link is invalid or has expired."))
    return subscriber


def follow_from_token(token: str) -> tuple[Subscriber, str, int]:
    """The subscriber, kind and target id of an alert's "stop following" link
    (``tokens.follow_token``); the link dies with the subscriber."""
    try:
        pk, key, kind, target_id = tokens.read_follow_token(token)
    except tokens.InvalidToken as exc:
        raise NotificationError(_("This link is invalid or has expired.")) from exc
    subscriber = Subscriber.objects.filter(pk=pk, key=key).first()
    if subscriber is None or kind not in FollowKind.values:
        raise NotificationError(_("This link is invalid or has expired."))
    return subscriber, kind, target_id


@transaction.atomic
def follow_remove(*, subscriber: Subscriber, kind: str, target_id: int) -> bool:
    """Ends one follow of ``subscriber``. What was waiting to be sent only because of it
    (a digest's article, say) is dropped; a subscriber left following nothing is
    unsubscribed. Safe to repeat. Returns whether the subscriber still follows anything."""
    Follow.objects.filter(subscriber=subscriber, kind=kind, target_id=target_id).delete()
    remaining = set(subscriber.follows.values_list("kind", "target_id"))
    if not remaining:
        if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
            subscriber_set_status(subscriber=subscriber, status=Subscriber.Status.UNSUBSCRIBED)
        return False
    pending = subscriber.deliveries.filter(status=Delivery.Status.PENDING)
    targets = selectors.articles_targets(pending.values_list("article_id", flat=True))
    pending.exclude(
        article_id__in=[pk for pk, found in targets.items() if found.pairs() & remaining]
    ).delete()
    return True


@transaction.atomic
def subscriber_update(
    *,
    subscriber: Subscriber,
    follows: Iterable[tuple[str, int]],
    rhythm: str,
    digest_hour: int,
    language: str,
) -> Subscriber:
    """Replaces what ``subscriber`` follows and sets rhythm and language. Switching to
    alerts at once sends what the digest had collected with the next instant batch."""
    pairs = existing_follows(follows)
    subscriber.rhythm, subscriber.digest_hour = rhythm, digest_hour
    subscriber.language = _clean_language(language)
    subscriber.save(update_fields=["rhythm", "digest_hour", "language"])
    keep = set(pairs)
    stale = [
        follow.pk
        for follow in subscriber.follows.all()
        if (follow.kind, follow.target_id) not in keep
    ]
    Follow.objects.filter(pk__in=stale).delete()
    _add_follows(subscriber, pairs)
    if rhythm == Rhythm.INSTANT:
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
    """Deletes the subscriber with its follows and deliveries. What is left is a keyed hash
    of the address with the time (``DeletedAddress``), which voids the confirmation links
    requested before it; it is removed once those links have expired anyway."""
    now = timezone.now()
    with transaction.atomic():
        Delivery.objects.filter(subscriber=subscriber).delete()
        Follow.objects.filter(subscriber=subscriber).delete()
        subscriber.delete()
        if subscriber.email:
            DeletedAddress.objects.update_or_create(
                digest=DeletedAddress.digest_of(subscriber.email), defaults={"deleted_at": now}
            )
        DeletedAddress.objects.filter(
            deleted_at__lt=now - timedelta(seconds=tokens.CONFIRM_MAX_AGE)
        ).delete()


def push_subscribe(
    *, endpoint: str, p256dh: str, auth: str, follows: Iterable[tuple[str, int]], language: str
) -> Subscriber:
    """Stores a browser's push subscription with what it follows (the browser's permission
    prompt is the opt-in); a known endpoint is updated and its follows added to."""
    pairs = existing_follows(follows)
    if not pairs:
        raise NotificationError(_("Choose at least one thing to follow."))
    now = timezone.now()
    language = _clean_language(language)
    subscription = {
        "channel": Channel.PUSH,
        "push_p256dh": p256dh,
        "push_auth": auth,
        "language": language,
        "consent_text": consent_text(),
        "consented_at": now,
        "confirmed_at": now,
    }
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.update_or_create(
            push_endpoint=endpoint,
            defaults={
                **subscription,
                "status": Subscriber.Status.ACTIVE,
                "rhythm": Rhythm.INSTANT,
            },
            create_defaults={**subscription, "key": secrets.token_urlsafe(16)},
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
