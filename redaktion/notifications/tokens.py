"""Signed links: confirmation (carries the whole subscription request, expires), manage
(magic link, expires), unsubscribe (one click, valid as long as the subscriber exists) and
unfollow (one follow of the subscriber, as long as the subscriber exists).

Every subscriber link repeats the subscriber's random ``key``; deleting the subscriber or
changing the key makes all of its links invalid.
"""

from django.core import signing

CONFIRM_SALT = "redaktion.notifications.confirm"
MANAGE_SALT = "redaktion.notifications.manage"
UNSUBSCRIBE_SALT = "redaktion.notifications.unsubscribe"
UNFOLLOW_SALT = "redaktion.notifications.unfollow"
CONFIRM_MAX_AGE = 2 * 24 * 3600
MANAGE_MAX_AGE = 30 * 24 * 3600


class InvalidToken(Exception):
    pass


def confirm_token(request: dict) -> str:
    return signing.dumps(request, salt=CONFIRM_SALT, compress=True)


def read_confirm_token(token: str) -> dict:
    try:
        return signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature as exc:  # SignatureExpired is a BadSignature
        raise InvalidToken(str(exc)) from exc


def subscriber_token(subscriber, *, salt: str) -> str:
    return signing.dumps([subscriber.pk, subscriber.key], salt=salt)


def read_subscriber_token(token: str, *, salt: str, max_age: int | None = None) -> tuple[int, str]:
    try:
        pk, key = signing.loads(token, salt=salt, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise InvalidToken(str(exc)) from exc
    return int(pk), str(key)


def follow_token(subscriber, *, kind: str, target_id: int) -> str:
    """The link that ends one follow of ``subscriber`` (and nothing else)."""
    return signing.dumps([subscriber.pk, subscriber.key, kind, target_id], salt=UNFOLLOW_SALT)


def read_follow_token(token: str) -> tuple[int, str, str, int]:
    """(subscriber id, key, kind, target id) of a ``follow_token``."""
    try:
        pk, key, kind, target_id = signing.loads(token, salt=UNFOLLOW_SALT)
        return int(pk), str(key), str(kind), int(target_id)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise InvalidToken(str(exc)) from exc
