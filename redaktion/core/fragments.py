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
* reading it is one ``get_many`` (the value and its key versions).

Values are pickled: model instances with what they prefetched (renditions) and what was
attached to them (an article's Ressort), or rendered HTML. Previews never use it (their
page is an unsaved revision), nor does anything when ``FRAGMENT_CACHE_ENABLED`` is off
(development, by default); an unreachable cache means building every time.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings

from . import surrogate
from .outage import log_unavailable

PREFIX = "redaktion:fragment:"
T = TypeVar("T")


def fragments_enabled(request=None) -> bool:
    if not getattr(settings, "FRAGMENT_CACHE_ENABLED", False):
        return False
    return not (
        request is not None
        and (getattr(request, "is_preview", False) or getattr(request, "is_dummy", False))
    )


def fragment_key(name: str) -> str:
    digest = hashlib.sha256(f"{settings.LANGUAGE_CODE}|{name}".encode()).hexdigest()
    return f"{PREFIX}{digest}"


def fragment(name: str, build: Callable[[], T], *, keys: Iterable[str] = (), request=None) -> T:
    """The value of the fragment ``name`` (unique per content: include ids and revisions),
    from the cache while none of its keys was purged, else ``build()`` (stored for
    ``FRAGMENT_CACHE_SECONDS``). ``keys`` are added to those named while building."""
    if not fragments_enabled(request):
        surrogate.add_keys(None, *keys)
        return build()
    key = fragment_key(name)
    try:
        entry = surrogate.versioned_get(key)
    except Exception as exc:  # the cache is an optimisation: build instead
        log_unavailable("fragment cache", exc)
        entry, key = None, None
    if entry is not None:
        surrogate.add_keys(None, *entry["keys"])
        return entry["value"]
    started_ns = time.time_ns()
    with surrogate.collecting() as collector:
        value = build()
        collector.add((*keys, surrogate.SITE))
    if key is not None:
        try:
            surrogate.versioned_set(
                key,
                {"value": value},
                tuple(sorted(collector.keys)),
                started_ns,
                settings.FRAGMENT_CACHE_SECONDS,
            )
        except Exception as exc:
            log_unavailable("fragment cache", exc)
    return value
