"""API keys and the rate limit.

A key is ``<prefix>.<secret>``; the database keeps its SHA-256 only, so a leaked database
reveals no key. A request's key is looked up once a minute per process at most (cached by
hash in the shared cache for ``KEY_CACHE_SECONDS``), so revoking a key takes effect within
that time.

The rate limit counts requests per key (or, without a key, per reader: a hash of the
address with a salt that changes daily, never the address itself) in the cache, in fixed
one-minute windows. Without a reachable cache nothing is limited (fail open).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from redaktion.core.outage import cache_call

from .models import ApiKey

KEY_CACHE_KEY = "redaktion:api:key:{digest}"
KEY_CACHE_SECONDS = 60
WINDOW_KEY = "redaktion:api:rate:{who}:{window}"
SALT_KEY = "redaktion:api:salt:{day}"
MISSING = "-"


@dataclass(frozen=True)
class Limit:
    who: str
    per_minute: int


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_key_create(*, name: str, requests_per_minute: int = 600) -> tuple[ApiKey, str]:
    """A new active key for ``name``; returns it with the key itself, which is not stored."""
    prefix = secrets.token_hex(4)
    raw = f"{prefix}.{secrets.token_urlsafe(24)}"
    key = ApiKey.objects.create(
        name=name,
        prefix=prefix,
        key_hash=_digest(raw),
        requests_per_minute=requests_per_minute,
    )
    return key, raw


def key_limit(raw: str) -> Limit | None:
    """The limit of the active key ``raw``; None for an unknown or revoked key. One query
    per key and minute at most."""
    digest = _digest(raw)
    cache_key = KEY_CACHE_KEY.format(digest=digest)
    cached = cache_call(cache.get, cache_key)
    if cached is None:
        row = (
            ApiKey.objects.filter(key_hash=digest, active=True)
            .values_list("pk", "requests_per_minute")
            .first()
        )
        cached = f"{row[0]}:{row[1]}" if row else MISSING
        cache_call(cache.set, cache_key, cached, KEY_CACHE_SECONDS)
    if cached == MISSING:
        return None
    pk, per_minute = cached.split(":")
    return Limit(who=f"key-{pk}", per_minute=int(per_minute))


def anonymous_limit(address: str, now: float) -> Limit:
    day = int(now) // 86400
    salt_key = SALT_KEY.format(day=day)
    cache_call(cache.add, salt_key, secrets.token_hex(16), 2 * 86400)
    salt = cache_call(cache.get, salt_key) or ""
    who = "anon-" + _digest(f"{salt}|{address}")[:24]
    return Limit(who=who, per_minute=settings.API_RATE_LIMIT_ANONYMOUS)


def rate_take(limit: Limit, now: float) -> tuple[bool, int]:
    """Counts a request against ``limit`` in the current minute: (allowed, seconds until the
    window ends)."""
    window = int(now) // 60
    key = WINDOW_KEY.format(who=limit.who, window=window)
    retry_after = 60 - int(now) % 60
    if cache_call(cache.add, key, 1, 120, fallback=True):
        return True, retry_after
    try:
        count = cache_call(cache.incr, key, fallback=0)
    except ValueError:  # the window's counter expired between the two calls
        return True, retry_after
    return count <= limit.per_minute, retry_after
