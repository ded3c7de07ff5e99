"""Caching of the public site: Cache-Control and surrogate keys for proxies/CDNs, and
Django's page cache purged by key.

Public pages are the same HTML for every reader, so an anonymous ``GET``/``HEAD`` that
ends in a 200 is marked ``public, max-age, s-maxage, stale-while-revalidate`` (values from
the ``PAGE_CACHE_*`` settings), carries its surrogate keys (``redaktion.core.surrogate``)
and is stored in Django's cache for ``s-maxage`` seconds. A response whose view marked it
public itself (search) gets its keys too, but is not stored.

Left alone: the admin and other excluded paths, responses that already carry
``Cache-Control`` (restricted pages, ``never_cache`` views), responses that set cookies or
vary on them, and requests that carry a session (an editor). Previews are marked
``private, no-cache`` and never stored.

**Validity by key.** A stored page keeps, with its content, the version of each of its
keys at the time it was stored; ``surrogate.purge`` gives the purged keys new versions, so
exactly the pages that carry one of them stop being served. Each process remembers the keys
of the pages it has seen, so a hit is one ``get_many`` (the page and its key versions);
the first hit of a page in a process costs a second one. A page rendered while one of its
keys was purged is not stored (its content may predate the purge).

**The key of a page** is host, language, path and the query parameters pages read
(``PAGE_CACHE_QUERY_PARAMS``); tracking parameters (``PAGE_CACHE_IGNORED_PARAMS``) are
dropped, and a request with any other parameter is answered without the cache, so random
parameters cannot fill it.

**Fail open.** When the cache is down the page is rendered and served without it; the
failure is logged once a minute.

A response that names its version (``ETag``, ``Last-Modified``; the feeds do) keeps both in
the cache, and a reader who already holds that version gets a ``304 Not Modified``, from
the cache as from the view.
"""

import hashlib
import time
from fnmatch import fnmatchcase
from functools import lru_cache

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, has_vary_header, patch_cache_control
from django.utils.http import parse_http_date_safe

from . import fragments, restrictions, surrogate
from .outage import log_unavailable

CACHE_KEY_PREFIX = "redaktion:page"
CACHEABLE_METHODS = {"GET", "HEAD"}
# Cached pages are served with these headers only; anything else was per-request.
STORED_HEADERS = {
    "content-type",
    "content-language",
    "cache-control",
    "vary",
    "x-frame-options",
    "etag",
    "last-modified",
    "surrogate-key",
    "cache-tag",
}


def page_cache_enabled() -> bool:
    """Django's page cache is on unless ``PAGE_CACHE_ENABLED`` says otherwise; in DEBUG it is
    off by default so that template changes show at once."""
    return getattr(settings, "PAGE_CACHE_ENABLED", not settings.DEBUG)


def purge_page_cache() -> None:
    """Purge every page, in the page cache and the front caches: for changes every page
    shows (the brand, the menu). Everything else purges by its own keys."""
    surrogate.purge([surrogate.SITE])


def cache_query(query_dict) -> str | None:
    """The part of the query string that is part of the page's key, sorted; None when a
    parameter is neither read by the pages nor a known tracking parameter."""
    kept = []
    for name in query_dict:
        if name in settings.PAGE_CACHE_QUERY_PARAMS:
            kept.extend((name, value) for value in query_dict.getlist(name))
        elif not any(fnmatchcase(name, pattern) for pattern in settings.PAGE_CACHE_IGNORED_PARAMS):
            return None
    return "&".join(f"{name}={value}" for name, value in sorted(kept))


def page_cache_key(request) -> str | None:
    """The key of ``request``'s page (host, language, path, ``cache_query``), or None when
    the request is not to be answered from the cache."""
    query = cache_query(request.GET)
    if query is None:
        return None
    raw = "|".join(
        [
            request.get_host(),
            getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
            request.path,
            query,
        ]
    )
    return f"{CACHE_KEY_PREFIX}:{hashlib.sha256(raw.encode()).hexdigest()}"


def excluded_prefixes() -> tuple[str, ...]:
    """Paths the page cache never answers: the admin, static and media files and
    ``PAGE_CACHE_SKIP_PATHS`` (per-view endpoints — ad decisions and counting, subscribing,
    search — that set their own Cache-Control; skipping them saves a cache round trip on
    every call). Worked out once per set of settings."""
    return _prefixes(settings.STATIC_URL, settings.MEDIA_URL, tuple(settings.PAGE_CACHE_SKIP_PATHS))


@lru_cache(maxsize=8)
def _prefixes(static_url: str, media_url: str, skip_paths: tuple[str, ...]) -> tuple[str, ...]:
    return (reverse("wagtailadmin_home"), static_url, media_url, *skip_paths)


def is_preview(request) -> bool:
    return bool(getattr(request, "is_preview", False) or getattr(request, "is_dummy", False))


def _may_be_shared(request) -> bool:
    """A request whose answer could be the shared public page."""
    return (
        request.method in CACHEABLE_METHODS
        and not is_preview(request)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _is_anonymous_200(request, response) -> bool:
    user = getattr(request, "user", None)
    return (
        response.status_code == 200
        and not response.cookies
        and not has_vary_header(response, "Cookie")
        and not getattr(response, "streaming", False)
        and not (user is not None and user.is_authenticated)
    )


def _marked_public(response) -> bool:
    """The view said itself that proxies may share the response (search results)."""
    directives = {
        part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",")
    }
    return "public" in directives and not directives & {"private", "no-store", "no-cache"}


def lookup(key: str):
    """The stored page under ``key`` if every key it carries still has the version it was
    stored with; None otherwise (``surrogate.versioned_get``)."""
    return surrogate.versioned_get(key)


def _store(key: str, response, keys: tuple[str, ...], started_ns: int) -> None:
    """Store ``response`` under ``key`` with the current versions of ``keys``, unless one
    of them was purged while it was rendered (``surrogate.versioned_set``)."""
    headers = {
        name: value for name, value in response.headers.items() if name.lower() in STORED_HEADERS
    }
    entry = {"status": response.status_code, "content": response.content, "headers": headers}
    surrogate.versioned_set(key, entry, keys, started_ns, settings.PAGE_CACHE_SHARED_SECONDS)


class PublicPageCacheMiddleware:
    """Place it right after WhiteNoise, before the session middleware, so that it sees the
    request before any session work and the response after every cookie has been set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = surrogate.open_collector(request)
        try:
            with restrictions.request_scope(request):
                return self._respond(request)
        finally:
            surrogate.close_collector(token)

    def _respond(self, request):
        shared = _may_be_shared(request)
        use_cache = shared and not request.path.startswith(excluded_prefixes())
        key = page_cache_key(request) if use_cache and page_cache_enabled() else None
        if key is not None:
            try:
                cached = lookup(key)
            except Exception as exc:  # the cache is an optimisation: never fail the page
                log_unavailable("page cache", exc)
                cached, key = None, None
            if cached is not None:
                return self._not_modified_or(request, self._from_cache(cached))

        started_ns = time.time_ns()
        with fragments.request_scope(request):
            response = self.get_response(request)

        if is_preview(request):
            patch_cache_control(response, private=True, no_cache=True)
            return response
        if not shared or not _is_anonymous_200(request, response):
            return response
        if response.has_header("Cache-Control"):
            if _marked_public(response):
                surrogate.set_headers(response, surrogate.response_keys(request, response))
            return response
        if not use_cache:
            return response

        patch_cache_control(
            response,
            public=True,
            max_age=settings.PAGE_CACHE_SECONDS,
            s_maxage=settings.PAGE_CACHE_SHARED_SECONDS,
            stale_while_revalidate=settings.PAGE_CACHE_STALE_SECONDS,
        )
        keys = surrogate.response_keys(request, response)
        surrogate.set_headers(response, keys)
        if key is not None and request.method == "GET":
            try:
                _store(key, response, tuple(keys), started_ns)
            except Exception as exc:
                log_unavailable("page cache", exc)
        return self._not_modified_or(request, response)

    @staticmethod
    def _not_modified_or(request, response):
        """A 304 when the request's ``If-None-Match``/``If-Modified-Since`` match the
        response's ``ETag``/``Last-Modified``; ``response`` otherwise (and always for a
        response that sets neither)."""
        etag = response.get("ETag")
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        if not etag and last_modified is None:
            return response
        return get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )

    @staticmethod
    def _from_cache(cached):
        response = HttpResponse(cached["content"], status=cached["status"])
        for name, value in cached["headers"].items():
            response.headers[name] = value
        return response
