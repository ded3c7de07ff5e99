"""Counters in the cache: at most ``limit`` hits per key and window (fixed windows)."""

import hashlib

from django.core.cache import cache

from redaktion.core.outage import cache_call

PREFIX = "redaktion:notifications:rate"


def _count(key: str, window: int) -> int:
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def allow(
    scope: str, value: str, *, limit: int, window: int = 3600, when_unavailable: bool = False
) -> bool:
    """Counts one hit of ``value`` in ``scope``; False once the limit is exceeded. Values
    are hashed, so addresses never sit in the cache in clear text. Without a reachable cache
    the answer is ``when_unavailable``: the endpoints that send mail to an address refuse
    (closed), since nothing would stop a flood of confirmation mails."""
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    count = cache_call(_count, f"{PREFIX}:{scope}:{digest}", window)
    if count is None:
        return when_unavailable
    return count <= limit
