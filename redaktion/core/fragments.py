"""Parts that many pages share, cached by their surrogate keys and purged with them.

A page-cache miss still renders the whole page, and most of it is the same on many pages:
the river under every article, the Ressorts of the menu, an article's "Mehr zum Thema",
the rendered body of a published revision, the footer's links. ``fragment(name, build)``
keeps the value ``build()`` returns in the shared cache (``PAGE_CACHE_ALIAS``) with the
keys it names, exactly as the page cache keeps a page (``surrogate.versioned_get``/
``versioned_set``):

* the keys are those named while it is built (every article loaded names itself), those
  passed as ``keys`` and ``site``; they are added to the response's keys on every use, so a
  page built from a cached fragment carries the same keys as one built without it;
* a purge of any of them (a publish, a correction, a Ressort renamed) gives it a new
  version, and the fragment is built again on its next use; one built while one of its keys
  was purged is used but not stored;
* reading it is one ``get_many`` (the value and its key versions); and a page reads all
  of its fragments in one: each process remembers which fragments the last request for a
  URL used, and reads them together when the next one starts (``request_scope``, opened by
  the page-cache middleware when the page is not in the page cache). A fragment the page
  uses for the first time is read on its own. The same ``get_many`` reads the cache keys
  registered with ``read_ahead`` (the generations by which processes keep sites, settings
  and the ads snapshot in memory), answered by ``ahead``;
* what its building told the request (``mark``: e.g. "the ads script is on the page") is
  stored with it and told again on each use, so a page built from it goes on exactly as
  one that built it. It is built as if nothing had been told yet (its HTML is the same
  whichever part of the page comes first).

Values are pickled: model instances with what they prefetched (renditions) and what was
attached to them (an article's Ressort), or rendered HTML. Previews never use it (their
page is an unsaved revision), nor does anything when ``FRAGMENT_CACHE_ENABLED`` is off
(development, by default); an unreachable cache means building every time.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import TypeVar

from django.conf import settings
from wagtail.models import Site

from . import surrogate
from .outage import log_unavailable

PREFIX = "redaktion:fragment:"
SAFE_METHODS = frozenset({"GET", "HEAD"})
# URLs whose fragments a process remembers; forgotten all at once.
REMEMBERED_URLS = 20_000
T = TypeVar("T")


# The request attribute holding the names ``mark`` gave it.
MARKS_ATTRIBUTE = "_redaktion_fragment_marks"
# ``ahead`` for a key this request did not read ahead.
NOT_READ = object()


class _Scope:
    """The fragments of one request: those read ahead (by cache key: the entry, or None
    when it is missing or purged), the names of those it used, and the values of the
    ``read_ahead`` keys (when they were read: only those found)."""

    __slots__ = ("ahead", "ahead_keys", "entries", "used")

    def __init__(self):
        self.entries: dict[str, dict | None] = {}
        self.used: dict[str, None] = {}
        self.ahead: dict[str, object] | None = None
        self.ahead_keys: tuple[str, ...] = ()


_scope: ContextVar[_Scope | None] = ContextVar("fragments", default=None)
_used_by_url: dict[str, tuple[str, ...]] = {}
# The keys to read with the fragments: by key, the alias of the cache that holds them.
_read_ahead: dict[str, str | None] = {}


def read_ahead(key: str, alias: str | None = None) -> None:
    """Read ``key`` of the cache ``alias`` (None: the page cache) with the fragments of
    every request that reads them together (``ahead``): for a small value that many
    requests ask for, such as a generation, so it costs no round trip of its own. Only
    while ``alias`` is the page cache's (``PAGE_CACHE_ALIAS``), which holds the fragments."""
    _read_ahead[key] = alias


def _ahead_keys() -> list[str]:
    return [
        key
        for key, alias in _read_ahead.items()
        if alias is None or alias == settings.PAGE_CACHE_ALIAS
    ]


def ahead(key: str):
    """The value of ``key`` (registered with ``read_ahead``) as this request read it with
    its fragments, None when the cache does not have it, or ``NOT_READ`` when the request
    read no fragments ahead (outside a request, a first request for its URL, the fragment
    cache off or down)."""
    scope = _scope.get()
    if scope is None or scope.ahead is None or key not in scope.ahead_keys:
        return NOT_READ
    return scope.ahead.get(key)


def mark(request, name: str) -> None:
    """Tell ``request`` that ``name`` happened on its page (a script included); a fragment
    built meanwhile tells it again each time it is used."""
    if request is not None:
        marks = getattr(request, MARKS_ATTRIBUTE, None)
        if marks is None:
            marks = set()
            setattr(request, MARKS_ATTRIBUTE, marks)
        marks.add(name)


def marked(request, name: str) -> bool:
    return name in getattr(request, MARKS_ATTRIBUTE, ())


def fragments_enabled(request=None) -> bool:
    if not getattr(settings, "FRAGMENT_CACHE_ENABLED", False):
        return False
    return not (
        request is not None
        and (getattr(request, "is_preview", False) or getattr(request, "is_dummy", False))
    )


def site_scope(request) -> str:
    """For the name of a fragment that holds rendered HTML: the Wagtail site ``request`` is
    for, since its page links are relative within that site and absolute to the others."""
    site = Site.find_for_request(request) if request is not None else None
    return f"site{site.pk}" if site is not None else "nosite"


def fragment_key(name: str) -> str:
    digest = hashlib.sha256(f"{settings.LANGUAGE_CODE}|{name}".encode()).hexdigest()
    return f"{PREFIX}{digest}"


@contextlib.contextmanager
def request_scope(request):
    """While ``request`` (a ``GET`` or ``HEAD``) is answered: the fragments the last
    request for the same URL in this process used are read at once (one ``get_many``), and
    those this one uses are remembered for the next."""
    if request.method not in SAFE_METHODS or not fragments_enabled(request):
        yield
        return
    url = request.get_full_path()
    scope = _Scope()
    names = _used_by_url.get(url, ())
    if names:
        try:
            scope.ahead_keys = tuple(_ahead_keys())
            scope.entries, scope.ahead = surrogate.versioned_read(
                [fragment_key(n) for n in names], scope.ahead_keys
            )
        except Exception as exc:  # the cache is an optimisation: each fragment builds
            log_unavailable("fragment cache", exc)
            scope.entries = dict.fromkeys(map(fragment_key, names))
    token = _scope.set(scope)
    try:
        yield
    finally:
        _scope.reset(token)
        if tuple(scope.used) != names:
            if len(_used_by_url) >= REMEMBERED_URLS:
                _used_by_url.clear()
            _used_by_url[url] = tuple(scope.used)


def forget_used() -> None:
    """Forget which fragments each URL used (its next request reads them one by one)."""
    _used_by_url.clear()


def _lookup(name: str, key: str):
    """The entry of ``name`` (cache key ``key``): read ahead for this request, else read
    now."""
    scope = _scope.get()
    if scope is not None:
        scope.used[name] = None
        if key in scope.entries:
            return scope.entries.pop(key)
    return surrogate.versioned_get(key)


def fragment(name: str, build: Callable[[], T], *, keys: Iterable[str] = (), request=None) -> T:
    """The value of the fragment ``name`` (unique per content: include ids and revisions),
    from the cache while none of its keys was purged, else ``build()`` (stored for
    ``FRAGMENT_CACHE_SECONDS``). ``keys`` are added to those named while building."""
    if not fragments_enabled(request):
        surrogate.add_keys(None, *keys)
        return build()
    key = fragment_key(name)
    try:
        entry = _lookup(name, key)
    except Exception as exc:  # the cache is an optimisation: build instead
        log_unavailable("fragment cache", exc)
        entry, key = None, None
    if entry is not None:
        surrogate.add_keys(None, *entry["keys"])
        for told in entry.get("marks", ()):
            mark(request, told)
        return entry["value"]
    started_ns = time.time_ns()
    with surrogate.collecting() as collector, _own_marks(request) as marks:
        value = build()
        collector.add((*keys, surrogate.SITE))
    if key is not None:
        try:
            surrogate.versioned_set(
                key,
                {"value": value, "marks": tuple(sorted(marks))},
                tuple(sorted(collector.keys)),
                started_ns,
                settings.FRAGMENT_CACHE_SECONDS,
            )
        except Exception as exc:
            log_unavailable("fragment cache", exc)
    return value


@contextlib.contextmanager
def _own_marks(request):
    """While a fragment builds: ``request`` without its marks, so that the fragment is
    built as if it came first; yields the marks its building made, which are added to
    the request's afterwards."""
    made: set[str] = set()
    if request is None:
        yield made
        return
    before = getattr(request, MARKS_ATTRIBUTE, None)
    if before is None:
        before = set()
    setattr(request, MARKS_ATTRIBUTE, made)
    try:
        yield made
    finally:
        # In place: the set of a fragment building around this one keeps these too.
        before.update(made)
        setattr(request, MARKS_ATTRIBUTE, before)
