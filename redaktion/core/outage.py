"""The shared cache may go away; the site must not go with it.

With ``REDIS_URL`` the cache is a Redis server. ``FailOpenRedisCache`` (the cache backend
then) answers like an empty cache while Redis is unreachable: reads miss, writes are dropped,
``add`` says the key exists; only the counters (``incr``, ``decr``) still raise, since a
missing count is for their caller to judge. So Wagtail's own caches (site root paths,
renditions), the page cache and every fragment fall back to the database. ``cache_call`` is
for callers that must know: rate limits (closed: they refuse) and ad counters (open: nothing
counted), with the fallback they pass.

After a failure the cache is not tried again for ``RETRY_SECONDS`` (an outage costs one slow
call per process every few seconds, not several per request), and the outage is logged at
most once a minute per process.
"""

import logging
import time

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

try:
    from redis.exceptions import RedisError
except ImportError:  # the embedded stack runs without the redis client
    RedisError = OSError

logger = logging.getLogger("redaktion.core")

# What a cache raises when its server is away: redis-py's errors, socket errors otherwise.
CACHE_ERRORS = (RedisError, OSError)
RETRY_SECONDS = 5
LOG_INTERVAL_SECONDS = 60
_last_logged: dict[str, float] = {}


def log_unavailable(what: str, exc: BaseException) -> None:
    """Log that ``what`` (the cache, a front cache's purge address) is unreachable, at most
    once a minute per process and ``what``, not per request."""
    now = time.monotonic()
    last = _last_logged.get(what)
    if last is None or now - last >= LOG_INTERVAL_SECONDS:
        _last_logged[what] = now
        logger.error("%s is unreachable (%s); working without it", what, exc)


def guarded(backend, method, *args, fallback=None, **kwargs):
    """``method(*args, **kwargs)`` on ``backend``, or ``fallback`` when its server cannot be
    reached or failed less than ``RETRY_SECONDS`` ago."""
    now = time.monotonic()
    if now < getattr(backend, "outage_until", 0.0):
        return fallback
    try:
        return method(*args, **kwargs)
    except CACHE_ERRORS as exc:
        backend.outage_until = now + RETRY_SECONDS
        log_unavailable("The cache", exc)
        return fallback


def cache_call(method, *args, fallback=None, **kwargs):
    """``guarded`` for a call on the default cache, counters included."""
    return guarded(caches[DEFAULT_CACHE_ALIAS], method, *args, fallback=fallback, **kwargs)


class ReusedRedisCacheClient(RedisCacheClient):
    """Django's Redis client wrapper, keeping one ``redis.Redis`` per connection pool: Django
    builds a new one for every cache call, and building one (its table of response
    callbacks) cost about as much as the round trip of a page-cache hit. A ``redis.Redis``
    is safe to share between threads, and its pool starts afresh in a forked process."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client


class FailOpenRedisCache(RedisCache):
    """Django's Redis cache, answering like an empty cache while Redis is away (see above),
    with one client per connection pool (``ReusedRedisCacheClient``)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedRedisCacheClient

    def make_and_validate_key(self, key, version=None):
        # Django's validation warns about keys memcached would refuse (length, spaces,
        # control characters); Redis takes any key, and the check cost more per page-cache
        # hit than building the keys did.
        return self.make_key(key, version=version)

    def get(self, key, default=None, version=None):
        return guarded(self, super().get, key, default, version, fallback=default)

    def get_many(self, keys, version=None):
        return guarded(self, super().get_many, keys, version, fallback={})

    def has_key(self, key, version=None):
        return guarded(self, super().has_key, key, version, fallback=False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        guarded(self, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return guarded(self, super().set_many, data, timeout, version, fallback=[])

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return guarded(self, super().add, key, value, timeout, version, fallback=False)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return guarded(self, super().touch, key, timeout, version, fallback=False)

    def delete(self, key, version=None):
        return guarded(self, super().delete, key, version, fallback=False)

    def delete_many(self, keys, version=None):
        guarded(self, super().delete_many, keys, version)

    def clear(self):
        return guarded(self, super().clear, fallback=False)
