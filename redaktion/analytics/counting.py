"""Counting a read in the cache, before the worker writes it to the database.

A beacon costs no query: it adds 1 to a field of a pending batch in the cache.

* **Fields** name what is counted, never who: ``v:<article id>:<hour>`` (views of the
  article in the hour starting at the epoch second ``hour``) and ``r:<article id>:<hour>:<host>``
  (views of that hour that came from a referring host). Ids that name no article are dropped
  when the batch is written.
* **Repeats** from one reader (a reload, a back button) within ``REPEAT_SECONDS`` count once.
  The reader is recognised by a hash of the address, the user agent and the article with a
  salt that changes every day and lives only in the cache (``SALT_KEY``): the hash cannot be
  turned back into an address, and with yesterday's salt gone it cannot be linked to
  today's. Neither the address nor the user agent nor the hash is written to the database
  or a log.
* **Where the batch lives.** With Redis as the cache (``REDIS_URL``), in one Redis hash
  (``PENDING``) that every web process adds to and the worker's scheduler writes to the
  database once a minute. With the in-process cache (one machine, the default) each web
  process keeps its own batch in memory and writes it itself, at most once a minute, after
  a beacon; a process that ends loses the counts of its last minute.

The hand-over to the database is in ``services.reads_flush``: a batch is first moved aside
(``take``), then written with its id, then forgotten (``done``).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache
from django.utils import timezone

from redaktion.core.outage import cache_call

try:
    from redis.exceptions import ResponseError
except ImportError:  # the embedded stack runs without the redis client (and its store)
    ResponseError = OSError

logger = logging.getLogger("redaktion.analytics")

SALT_KEY = "redaktion:reads:salt:{day}"
SEEN_KEY = "redaktion:reads:seen:{digest}"
PENDING = "redaktion:reads:pending"
FLUSHING = "redaktion:reads:flushing"
FLUSH_ID_FIELD = "_id"
SALT_SECONDS = 2 * 24 * 3600
# RedisStore.add_first: the reader's key set unless present; if it was not, the fields
# counted. The value is what Django's Redis cache stores for the integer 1.
ADD_FIRST = """
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
  for i = 2, #ARGV do
    redis.call('HINCRBY', KEYS[2], ARGV[i], 1)
  end
  return 1
end
return 0
"""
REPEAT_SECONDS = 30 * 60
HOST_MAX = 100

_salts: dict[str, str] = {}


@dataclass(frozen=True)
class Batch:
    """Counts moved aside for writing, under an id that is the same every time this batch
    is taken again until it is ``done``."""

    flush_id: str
    counts: dict[str, int]


def _hour(now: float) -> int:
    return int(now) // 3600 * 3600


def view_field(article_id: int, now: float) -> str:
    return f"v:{article_id}:{_hour(now)}"


def referrer_field(article_id: int, host: str, now: float) -> str:
    return f"r:{article_id}:{_hour(now)}:{host}"


def parse_field(field: str):
    """``("v", article_id, hour)`` or ``("r", article_id, hour, host)``, the hour as an
    aware UTC datetime; None for a field that is neither. A referrer field of a batch
    counted before referrers were kept by the hour names a day (``2026-12-07``): it counts
    in that day's first hour."""
    kind, _, rest = field.partition(":")
    try:
        if kind == "v":
            article, hour = rest.split(":")
            return ("v", int(article), datetime.fromtimestamp(int(hour), tz=UTC))
        if kind == "r":
            article, when, host = rest.split(":", 2)
            if when.isdigit():
                hour = datetime.fromtimestamp(int(when), tz=UTC)
            else:
                day = date.fromisoformat(when)
                hour = timezone.make_aware(datetime.combine(day, datetime.min.time()))
                hour = hour.astimezone(UTC)
            return ("r", int(article), hour, host[:HOST_MAX])
    except ValueError:
        return None
    return None


def _daily_salt(now: float) -> str:
    """Today's salt (UTC day), the same in every process that shares the cache."""
    day = datetime.fromtimestamp(now, tz=UTC).date().isoformat()
    salt = _salts.get(day)
    if salt is None:
        key = SALT_KEY.format(day=day)
        cache_call(cache.add, key, secrets.token_hex(16), SALT_SECONDS)
        salt = cache_call(cache.get, key) or secrets.token_hex(16)
        _salts.clear()
        _salts[day] = salt
    return salt


def reader_digest(*, article_id: int, address: str, user_agent: str, now: float) -> str:
    """The reader's view of the article under today's salt: nothing to turn back into the
    address or user agent, nothing to link to yesterday's."""
    material = f"{_daily_salt(now)}|{address}|{user_agent}|{article_id}".encode()
    return hashlib.sha256(material).hexdigest()[:32]


def first_view(*, article_id: int, address: str, user_agent: str, now: float) -> bool:
    """Whether this is the reader's first view of the article within ``REPEAT_SECONDS``.
    True when the cache cannot tell (a count too many rather than a reader's view lost)."""
    digest = reader_digest(article_id=article_id, address=address, user_agent=user_agent, now=now)
    return bool(
        cache_call(cache.add, SEEN_KEY.format(digest=digest), 1, REPEAT_SECONDS, fallback=True)
    )


def record_read(
    *, article_id: int, address: str, user_agent: str, referrer_host: str, now: float
) -> None:
    """Counts a view of the article (and of its referrer host) unless the same reader viewed
    it within ``REPEAT_SECONDS`` (``first_view``). With Redis both are one round trip
    (``RedisStore.add_first``)."""
    fields = [view_field(article_id, now), referrer_field(article_id, referrer_host, now)]
    target = store()
    if isinstance(target, RedisStore):
        digest = reader_digest(
            article_id=article_id, address=address, user_agent=user_agent, now=now
        )
        seen = cache.make_key(SEEN_KEY.format(digest=digest))
        cache_call(target.add_first, seen, REPEAT_SECONDS, fields)
        return
    if first_view(article_id=article_id, address=address, user_agent=user_agent, now=now):
        target.add(fields)


class MemoryStore:
    """The batch of one process (the in-process cache cannot be shared)."""

    flushes_itself = True

    def __init__(self):
        self._lock = threading.Lock()
        self._pending: Counter[str] = Counter()
        self._flushing: Batch | None = None
        self.last_flush = time.monotonic()

    def add(self, fields: list[str]) -> None:
        with self._lock:
            self._pending.update(fields)

    def take(self) -> Batch | None:
        with self._lock:
            if self._flushing is None and self._pending:
                self._flushing = Batch(uuid.uuid4().hex, dict(self._pending))
                self._pending.clear()
            return self._flushing

    def done(self, flush_id: str) -> None:
        with self._lock:
            if self._flushing is not None and self._flushing.flush_id == flush_id:
                self._flushing = None
            self.last_flush = time.monotonic()

    def due(self, interval: float) -> bool:
        return time.monotonic() - self.last_flush >= interval


class RedisStore:
    """The batch of every process, in one Redis hash of the cache's server.

    ``take`` renames ``PENDING`` to ``FLUSHING`` (atomic: a beacon counts either in the
    batch being written or in the next) unless a batch is still there from a flush that did
    not finish, and gives it an id (``HSETNX``: a batch taken again keeps its first id)."""

    flushes_itself = False

    def __init__(self, client):
        self.client = client

    def add(self, fields: list[str]) -> None:
        pipe = self.client.pipeline(transaction=False)
        for field in fields:
            pipe.hincrby(PENDING, field, 1)
        pipe.execute()

    def add_first(self, seen_key: str, seconds: int, fields: list[str]) -> bool:
        """Adds 1 to each of ``fields`` unless ``seen_key`` exists, and sets that key for
        ``seconds``: a script, so both are one round trip and nothing runs between them.
        True when it counted. ``seen_key`` is the cache's full key (``cache.make_key``), the
        one ``first_view`` sets through the cache."""
        global _add_first_script
        if _add_first_script is None:
            _add_first_script = self.client.register_script(ADD_FIRST)
        counted = _add_first_script(keys=[seen_key, PENDING], args=[seconds, *fields])
        return bool(counted)

    def take(self) -> Batch | None:
        if not self.client.exists(FLUSHING):
            try:
                if not self.client.renamenx(PENDING, FLUSHING):
                    return None
            except ResponseError:  # nothing pending
                return None
        self.client.hsetnx(FLUSHING, FLUSH_ID_FIELD, uuid.uuid4().hex)
        raw = self.client.hgetall(FLUSHING)
        flush_id = _text(raw.pop(FLUSH_ID_FIELD.encode(), b""))
        return Batch(flush_id, {_text(key): int(value) for key, value in raw.items()})

    def done(self, flush_id: str) -> None:
        self.client.delete(FLUSHING)

    def due(self, interval: float) -> bool:
        return False


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


_memory_store = MemoryStore()
_add_first_script = None


def store():
    """The batch store for the configured cache: Redis's when the cache is Redis, else this
    process's memory."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, RedisCache):
        return RedisStore(backend._cache.get_client(write=True))
    return _memory_store
