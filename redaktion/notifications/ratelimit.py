"""Counters in the cache: at most ``limit`` hits per key and window (fixed windows)."""

import hashlib

from django.core.cache import cache

PREFIX = "redaktion:notifications:rate"


def allow(scope: str, value: str, *, limit: int, window: int = 3600) -> bool:
    """Counts one hit of ``value`` in ``scope``; False once the limit is exceeded. Values
    are hashed, so addresses never sit in the cache in clear text."""
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    key = f"{PREFIX}:{scope}:{digest}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count <= limit
