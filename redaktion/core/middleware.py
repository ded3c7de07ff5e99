"""Caching of the public site: Cache-Control for proxies/CDNs and Django's page cache.

Public pages are the same HTML for every reader, so an anonymous ``GET``/``HEAD`` that
ends in a 200 is marked ``public, max-age, s-maxage, stale-while-revalidate`` (values from
the ``PAGE_CACHE_*`` settings) and stored in Django's cache for ``s-maxage`` seconds.

Left alone: the admin and other excluded paths, responses that already carry
``Cache-Control`` (restricted pages, ``never_cache`` views), responses that set cookies or
vary on them, and requests that carry a session (an editor). Previews are marked
``private, no-cache`` and never stored.

Wagtail has no whole-page cache of its own (only ``{% wagtailcache %}`` fragments), so this
is Django's cache API with keys a purge can reach: every key carries a generation number,
and :func:`purge_page_cache` bumps it, dropping every stored page at once. One publish
changes the river, which is on every page, so a finer purge would buy little. The
generation lives in the same cache, so with Redis a purge in any process reaches all of
them; with the in-process default a purge reaches only its own process and the others
catch up after ``s-maxage``.

A response that names its version (``ETag``, ``Last-Modified``; the feeds do) keeps both in
the cache, and a reader who already holds that version gets a ``304 Not Modified``, from
the cache as from the view.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.urls import reverse
from django.utils.cache import get_conditional_response, has_vary_header, patch_cache_control
from django.utils.http import parse_http_date_safe

CACHE_KEY_PREFIX = "redaktion:page"
GENERATION_KEY = f"{CACHE_KEY_PREFIX}:generation"
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
}


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def page_cache_enabled() -> bool:
    """Django's page cache is on unless ``PAGE_CACHE_ENABLED`` says otherwise; in DEBUG it is
    off by default so that template changes show at once."""
    return getattr(settings, "PAGE_CACHE_ENABLED", not settings.DEBUG)


def _generation() -> int:
    return _cache().get_or_set(GENERATION_KEY, 1, timeout=None)


def purge_page_cache() -> None:
    """Drop every page stored by Django's page cache (all hosts, paths and query strings)."""
    cache = _cache()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def page_cache_key(request) -> str:
    """The key of ``request``'s page: generation, host, language, path and query string."""
    raw = "|".join(
        [
            request.get_host(),
            getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
            request.path,
            request.META.get("QUERY_STRING", ""),
        ]
    )
    digest = hashlib.sha256(raw.encode()).hexdigest()
    return f"{CACHE_KEY_PREFIX}:{_generation()}:{digest}"


def _excluded_prefixes() -> tuple[str, ...]:
    # PAGE_CACHE_SKIP_PATHS: per-view endpoints (ad decisions and counting, subscribing,
    # search) that set their own Cache-Control; skipping them saves the two cache round
    # trips (generation, page key) a lookup would cost on every call.
    return (
        reverse("wagtailadmin_home"),
        settings.STATIC_URL,
        settings.MEDIA_URL,
        *settings.PAGE_CACHE_SKIP_PATHS,
    )


def _is_preview(request) -> bool:
    return bool(getattr(request, "is_preview", False) or getattr(request, "is_dummy", False))


def _may_use_cache(request) -> bool:
    """A request whose answer could be the shared public page."""
    return (
        request.method in CACHEABLE_METHODS
        and not _is_preview(request)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(_excluded_prefixes())
    )


def _is_public_response(request, response) -> bool:
    user = getattr(request, "user", None)
    return (
        response.status_code == 200
        and not response.has_header("Cache-Control")
        and not response.cookies
        and not has_vary_header(response, "Cookie")
        and not getattr(response, "streaming", False)
        and not (user is not None and user.is_authenticated)
    )


class PublicPageCacheMiddleware:
    """Place it right after WhiteNoise, before the session middleware, so that it sees the
    request before any session work and the response after every cookie has been set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        use_cache = _may_use_cache(request)
        store = use_cache and page_cache_enabled()
        key = page_cache_key(request) if store else None
        if key is not None:
            cached = _cache().get(key)
            if cached is not None:
                return self._not_modified_or(request, self._from_cache(cached))

        response = self.get_response(request)

        if _is_preview(request):
            patch_cache_control(response, private=True, no_cache=True)
            return response
        if not use_cache or not _is_public_response(request, response):
            return response

        patch_cache_control(
            response,
            public=True,
            max_age=settings.PAGE_CACHE_SECONDS,
            s_maxage=settings.PAGE_CACHE_SHARED_SECONDS,
            stale_while_revalidate=settings.PAGE_CACHE_STALE_SECONDS,
        )
        if key is not None and request.method == "GET":
            _cache().set(key, self._to_cache(response), settings.PAGE_CACHE_SHARED_SECONDS)
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
    def _to_cache(response) -> dict:
        headers = {
            name: value
            for name, value in response.headers.items()
            if name.lower() in STORED_HEADERS
        }
        return {"status": response.status_code, "content": response.content, "headers": headers}

    @staticmethod
    def _from_cache(cached):
        from django.http import HttpResponse

        response = HttpResponse(cached["content"], status=cached["status"])
        for name, value in cached["headers"].items():
            response.headers[name] = value
        return response
