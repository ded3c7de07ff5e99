"""Calls to the shared cache that must not take a request down with them.

With ``REDIS_URL`` the cache is a Redis server; when it is away, Django's Redis backend
raises, after redis-py's own retries. Rate limits, ad counters, the ad snapshot and the feeds'
file sizes go through ``cache_call``: it returns a fallback instead, and then, for
``RETRY_SECONDS``, returns the fallback at once without trying (so an outage costs one slow
call per process every few seconds, not several per request). The outage is logged at most
once a minute per process. Whether a caller fails open (counts nothing, builds from the
database) or closed (refuses the request) is the caller's decision, made with its fallback.
"""

import logging
import time

from django.core.cache import DEFAULT_CACHE_ALIAS, caches

try:
    from redis.exceptions import RedisError
except ImportError:  # the embedded stack runs without the redis client
    RedisError = OSError

logger = logging.getLogger("redaktion.core")

# What a cache raises when its server is away: redis-py's errors, socket errors otherwise.
CACHE_ERRORS = (RedisError, OSError)
RETRY_SECONDS = 5
LOG_INTERVAL_SECONDS = 60
# The cache object (one per thread) that failed last, until when it is skipped, and when
# the last outage line was logged.
_state = {"backend": None, "skip_until": 0.0, "logged_at": float("-inf")}


def cache_call(method, *args, fallback=None, **kwargs):
    """``method(*args, **kwargs)`` (a call on the default cache), or ``fallback`` when the
    cache server cannot be reached or failed less than ``RETRY_SECONDS`` ago."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    now = time.monotonic()
    if _state["backend"] is backend and now < _state["skip_until"]:
        return fallback
    try:
        return method(*args, **kwargs)
    except CACHE_ERRORS as exc:
        _state.update(backend=backend, skip_until=now + RETRY_SECONDS)
        if now - _state["logged_at"] >= LOG_INTERVAL_SECONDS:
            _state["logged_at"] = now
            logger.error("The cache is unreachable (%s); working without it", exc)
        return fallback
