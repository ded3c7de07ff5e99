"""Surrogate keys: every public response names what it shows, and a change purges exactly
the responses that show it, in the in-app page cache and in every front cache.

**Naming.** While a request runs, a collector gathers its keys (key names: ``news.keys``):

* the page's own and its listing's keys, added where the view knows them
  (``add_keys(request, ...)``: Wagtail's ``before_serve_page`` hook, the HomePage routes,
  the feeds, the search views);
* ``article-<id>`` of every article the response shows. These are not added by the
  templates one by one: every ``ArticlePage`` loaded during the request names itself
  (``post_init``, connected by ``news``), so a teaser, a river, a "Mehr zum Thema" list or
  a feed item added later cannot forget it. An article loaded but not shown only costs an
  extra purge, never a stale page;
* ``site``, carried by every response: the brand, the menu and the footer are on every
  page, and ``purge_page_cache()`` purges it.

A response that lists too much to name it all (the sitemaps: every article) replaces its
keys with ``set_keys`` and is purged by its collection key alone.

The middleware writes them as ``Surrogate-Key: k1 k2`` (Fastly, Varnish via ``xkey``) and,
when ``SURROGATE_CDN_HEADERS`` names it, ``Cache-Tag: k1,k2`` (Cloudflare).

**Purging.** ``purge(keys)`` hands the keys to each backend of
``SURROGATE_PURGE_BACKENDS`` in order: the in-app page cache first, so that a front cache
refilling at once cannot fetch the stale page from it. A backend that is down is logged
(once a minute) and skipped; a purge never raises, and repeating it is harmless.
"""

from __future__ import annotations

import contextlib
import http.client
import time
from collections.abc import Iterable
from contextvars import ContextVar
from fnmatch import fnmatchcase
from functools import cache as memoize
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from django.dispatch import Signal
from django.utils.module_loading import import_string

from .outage import log_unavailable

SITE = "site"
VERSION_PREFIX = "redaktion:page:key:"
# Keys per xkey-purge header: Varnish's default http_req_hdr_len is 8 KB.
PURGE_HEADER_CHARS = 4000
# A purge this close before the start of a render counts as during it (the result is used
# but not stored): the margin covers the clock difference between the machine that purged
# and the one that renders (NTP keeps it to milliseconds). It is kept short because until it
# has passed, every request for a purged page or fragment builds it anew.
PURGE_MARGIN_NS = 250_000_000
# Entries whose keys a process remembers for one-round-trip reads; forgotten all at once.
REMEMBERED_ENTRIES = 20_000

_entry_keys: dict[str, tuple[str, ...]] = {}


class Collector:
    """The keys of one response. ``closed`` after ``set_keys``: nothing more is added."""

    __slots__ = ("closed", "keys")

    def __init__(self):
        self.keys: set[str] = set()
        self.closed = False

    def add(self, keys: Iterable[str]) -> None:
        if not self.closed:
            self.keys.update(keys)


_current: ContextVar[Collector | None] = ContextVar("surrogate_collector", default=None)


def open_collector(request) -> object:
    """Start collecting for ``request`` (the middleware does this); returns the token for
    ``close_collector``."""
    collector = Collector()
    request.surrogate_keys = collector
    return _current.set(collector)


def close_collector(token) -> None:
    _current.reset(token)


def _collector_of(target) -> Collector | None:
    if target is None:
        return _current.get()
    collector = getattr(target, "surrogate_keys", None)
    if collector is None:
        collector = Collector()
        target.surrogate_keys = collector
    return collector


@contextlib.contextmanager
def collecting():
    """Collect the keys named inside the block (with ``target`` None) into a collector of
    their own, yielded; when the block ends they are added to the collector around it too.
    For parts of a response cached apart (``redaktion.core.fragments``)."""
    outer = _current.get()
    collector = Collector()
    token = _current.set(collector)
    try:
        yield collector
    finally:
        _current.reset(token)
        if outer is not None:
            outer.add(collector.keys)


def add_keys(target, *keys: str) -> None:
    """Name keys of what the response shows. ``target`` is the request or the response
    (or None: the request being served, for code that has neither at hand)."""
    collector = _collector_of(target)
    if collector is not None:
        collector.add(keys)


def set_keys(target, *keys: str) -> None:
    """The response is purged by ``keys`` (and ``site``) alone: for listings of everything,
    whose per-article keys would not fit in a header."""
    collector = _collector_of(target)
    if collector is not None:
        collector.keys = set(keys)
        collector.closed = True


def response_keys(request, response) -> list[str]:
    """Sorted keys of ``response``: the request's, the response's, and ``site``."""
    result = {SITE}
    for target in (request, response):
        collector = getattr(target, "surrogate_keys", None)
        if collector is not None:
            result.update(collector.keys)
    return sorted(result)


def set_headers(response, keys: list[str]) -> None:
    response.headers["Surrogate-Key"] = " ".join(keys)
    if "Cache-Tag" in settings.SURROGATE_CDN_HEADERS:
        response.headers["Cache-Tag"] = ",".join(keys)


# The in-app page cache's side of the keys: a version per key.


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def version_key(key: str) -> str:
    return f"{VERSION_PREFIX}{key}"


def purge(keys: Iterable[str]) -> None:
    """Purge every cached response that carries one of ``keys``, in each backend of
    ``SURROGATE_PURGE_BACKENDS``. Idempotent; never raises (a backend that fails is logged
    once a minute and the next one still runs)."""
    keys = sorted(set(keys))
    if not keys:
        return
    for backend in purge_backends():
        try:
            backend.purge(keys)
        except Exception as exc:  # a front cache must never fail a publish
            log_unavailable(type(backend).__name__, exc)


@memoize
def _backends(paths: tuple[str, ...]) -> tuple:
    return tuple(import_string(path)() for path in paths)


def purge_backends() -> tuple:
    return _backends(tuple(settings.SURROGATE_PURGE_BACKENDS))


def versioned_get(key: str):
    """The entry stored under ``key`` (``versioned_set``) if every key it carries still has
    the version it was stored with; None otherwise. One ``get_many`` (the entry and the
    versions of the keys this process last saw it carry); a second one when they differ."""
    return versioned_get_many([key])[key]


def versioned_get_many(keys: list[str]) -> dict[str, dict | None]:
    """``versioned_get`` of each of ``keys``, all in one ``get_many`` (and a second one for
    the versions of the entries whose keys this process had not seen yet)."""
    return versioned_read(keys)[0]


def versioned_read(keys: list[str], also: Iterable[str] = ()) -> tuple[dict, dict]:
    """``versioned_get_many(keys)``, and the plain values of the cache keys ``also`` (only
    those found), read in the same ``get_many``."""
    also = tuple(also)
    cache = page_cache()
    known = {key: _entry_keys.get(key, ()) for key in keys}
    wanted = dict.fromkeys(keys)
    wanted.update(dict.fromkeys(also))
    for names in known.values():
        wanted.update(dict.fromkeys(map(version_key, names)))
    found = cache.get_many(list(wanted))
    entries = {key: found.get(key) for key in keys}
    missing = {}
    for key, entry in entries.items():
        if entry is not None and entry["keys"] != known[key]:
            _remember(key, entry["keys"])
            missing.update(
                dict.fromkeys(v for v in map(version_key, entry["keys"]) if v not in wanted)
            )
    if missing:
        found.update(cache.get_many(list(missing)))
    valid = {
        key: entry if entry is not None and _unchanged(entry, found) else None
        for key, entry in entries.items()
    }
    return valid, {key: found[key] for key in also if key in found}


def _unchanged(entry: dict, versions: dict) -> bool:
    """Every key of ``entry`` still has the version it was stored with."""
    current = (versions.get(version_key(name)) for name in entry["keys"])
    return all(now == then for now, then in zip(current, entry["versions"], strict=True))


def versioned_set(key: str, entry: dict, keys: tuple[str, ...], started_ns: int, timeout) -> None:
    """Store ``entry`` (a dict) under ``key`` for ``timeout`` seconds with ``keys`` and their
    current versions, unless one of them was purged since ``started_ns`` (when building it
    began: it may predate the purge). A key never purged gets version 0 (``add``: a purge
    racing with it wins)."""
    cache = page_cache()
    names = [version_key(name) for name in keys]
    versions = cache.get_many(names)
    missing = [name for name in names if name not in versions]
    for name in missing:
        cache.add(name, 0, timeout=None)
    if missing:
        versions.update(cache.get_many(missing))
    current = [versions.get(name) for name in names]
    if any(v is None or v > started_ns - PURGE_MARGIN_NS for v in current):
        return
    cache.set(key, {**entry, "keys": tuple(keys), "versions": tuple(current)}, timeout)
    _remember(key, tuple(keys))


def _remember(key: str, keys: tuple[str, ...]) -> None:
    if len(_entry_keys) >= REMEMBERED_ENTRIES:
        _entry_keys.clear()
    _entry_keys[key] = keys


# Sent in the purging process after the page cache's keys got new versions (``keys``): the
# fast hit forgets the answers it keeps in memory (``core.fasthit``).
page_cache_purged = Signal()


class PageCachePurger:
    """The in-app page cache: a purge gives each key a new version (the time of the purge,
    in nanoseconds); a stored page is valid only while every key still has the version it
    was built under. One cache round trip per purge."""

    def purge(self, keys: list[str]) -> None:
        version = time.time_ns()
        page_cache().set_many({version_key(key): version for key in keys}, timeout=None)
        page_cache_purged.send(sender=PageCachePurger, keys=keys)


class VarnishPurger:
    """Varnish with the ``xkey`` vmod (deploy/varnish/redaktion.vcl): an HTTP ``PURGE``
    with ``xkey-purge: k1 k2`` to every URL in ``VARNISH_PURGE_URLS`` (one per node), and
    the keys of ``SURROGATE_SOFT_KEYS`` in ``xkey-softpurge``: their objects turn stale and
    are served within their grace while one background fetch refreshes each. An object with
    a hard-purged key is dropped whatever its other keys. Failures are logged per node,
    never raised; timeouts are short (``VARNISH_PURGE_TIMEOUT``) so a dead node cannot hold
    up the worker."""

    def purge(self, keys: list[str]) -> None:
        soft = [key for key in keys if is_soft(key)]
        by_header = {
            "xkey-purge": [key for key in keys if key not in soft],
            "xkey-softpurge": soft,
        }
        for url in settings.VARNISH_PURGE_URLS:
            try:
                for name, named in by_header.items():
                    for chunk in chunked(named, PURGE_HEADER_CHARS):
                        self._send(url, name, chunk)
            except (OSError, http.client.HTTPException, ValueError) as exc:
                log_unavailable(f"Varnish {url}", exc)

    @staticmethod
    def _send(url: str, name: str, header: str) -> None:
        parts = urlsplit(url)
        connection = http.client.HTTPConnection(
            parts.hostname, parts.port or 80, timeout=settings.VARNISH_PURGE_TIMEOUT
        )
        try:
            connection.request("PURGE", parts.path or "/", headers={name: header})
            response = connection.getresponse()
            response.read()
            if response.status >= 400:
                raise ValueError(f"PURGE answered {response.status} {response.reason}")
        finally:
            connection.close()


def is_soft(key: str) -> bool:
    """Whether a front cache may serve what ``key`` marks stale while it refreshes it
    (``SURROGATE_SOFT_KEYS``: a list gaining an article)."""
    return any(fnmatchcase(key, pattern) for pattern in settings.SURROGATE_SOFT_KEYS)


def chunked(keys: list[str], limit: int) -> list[str]:
    """``keys`` as space-separated strings of at most ``limit`` characters each."""
    chunks, current = [], ""
    for key in keys:
        if current and len(current) + 1 + len(key) > limit:
            chunks.append(current)
            current = key
        else:
            current = f"{current} {key}" if current else key
    if current:
        chunks.append(current)
    return chunks
