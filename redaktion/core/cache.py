"""Django's Redis cache, failing open: while Redis cannot be reached it behaves like an
empty cache that keeps nothing, so pages render without it (slower, never broken). The
failure is logged once a minute per process, not per request.

Only connection failures are swallowed; any other error (a bad value, a bug) still raises.
"""

import logging
import time
from functools import wraps

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
_last_logged: dict[str, float] = {}


def log_unavailable(what: str, exc: BaseException) -> None:
    """Log that ``what`` is down at most once a minute per process, not per request."""
    now = time.monotonic()
    last = _last_logged.get(what)
    if last is None or now - last >= 60:
        _last_logged[what] = now
        logger.warning("%s unavailable, going on without it: %s", what, exc)


def _fail_open(answer):
    """Wrap a cache method: on a connection failure, log and return ``answer(*args)``."""

    def decorate(method):
        @wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as exc:
                log_unavailable("Redis cache", exc)
                return answer(*args, **kwargs)

        return wrapper

    return decorate


def _missing(*args, **kwargs):
    raise ValueError("Key not found (the cache is unreachable).")


class FailOpenRedisCache(RedisCache):
    get = _fail_open(lambda key, default=None, **kw: default)(RedisCache.get)
    get_many = _fail_open(lambda keys, **kw: {})(RedisCache.get_many)
    set = _fail_open(lambda *a, **kw: None)(RedisCache.set)
    set_many = _fail_open(lambda data, *a, **kw: list(data))(RedisCache.set_many)
    add = _fail_open(lambda *a, **kw: False)(RedisCache.add)
    touch = _fail_open(lambda *a, **kw: False)(RedisCache.touch)
    delete = _fail_open(lambda *a, **kw: False)(RedisCache.delete)
    delete_many = _fail_open(lambda *a, **kw: None)(RedisCache.delete_many)
    has_key = _fail_open(lambda *a, **kw: False)(RedisCache.has_key)
    incr = _fail_open(_missing)(RedisCache.incr)
    clear = _fail_open(lambda *a, **kw: None)(RedisCache.clear)
