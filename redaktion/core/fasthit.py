"""A page-cache hit answered in front of Django's request handling.

``PublicPageCacheMiddleware`` answers a hit from inside Django's middleware stack: a
request object, the request signals, every middleware before it and the response object
for each hit, around one cache round trip. ``CachedPageApplication`` wraps the WSGI
application (``redaktion.wsgi``) and answers the same stored page before all of that, with
the same headers:

* only requests that the middleware would answer from the cache: ``GET``/``HEAD`` without a
  session cookie, outside the admin, static and media paths and ``PAGE_CACHE_SKIP_PATHS``,
  on an allowed host, with only the query parameters the page key reads; not a path of
  ``PAGE_CACHE_FAST_HIT_SKIP_PATHS`` (the API, whose CORS and rate-limit headers a
  middleware in front of the page cache adds per request); not a plain-HTTP
  request that ``SECURE_SSL_REDIRECT`` sends to HTTPS, and not a conditional request (its
  ``304`` is the middleware's). Previews are admin views and never get here;
* the entry is the middleware's (``page_cache_key``, ``lookup``: the page and its key
  versions in one ``get_many``), so a purge by key stops both at once;
* the headers are the stored ones, those the middlewares in front of the page cache add
  (security headers, Content-Security-Policy, Permissions-Policy: worked out once per
  process and scheme by running those middlewares on an empty response, since they do not
  depend on the page), a request id (``X-Request-ID``, as ``RequestIdMiddleware`` gives it)
  and ``Content-Length``;
* the body is compressed for the request's ``Accept-Encoding`` by the compression
  middleware's own code, where that middleware runs in front of the page cache (it does by
  default), so a fast hit is the same answer, byte for byte, as Django's.

**Recent answers.** On a busy site most of a hit's time is the cache round trip (measured:
of 0.9 ms a hit on a loaded machine, 0.8 ms waiting for Redis, for the page and its 26 key
versions). So each process keeps the answers it gave for ``PAGE_CACHE_LOCAL_SECONDS`` (1 s)
and gives them again without asking the cache: a popular page costs a process one round
trip a second instead of one per request. A purge in this process forgets them at once
(``surrogate.page_cache_purged``); in the others a purged page is served at most that long
more, well within what Varnish and browsers keep (``max-age``). 0 turns it off.

Everything else, and every failure of the cache, goes to Django unchanged.
"""

from __future__ import annotations

import time
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import setting_changed
from django.http import HttpResponse
from django.utils.module_loading import import_string

from . import surrogate
from .compression import CompressionMiddleware, accepted_encodings
from .logs import HEADER as REQUEST_ID_HEADER
from .logs import request_id_for
from .middleware import (
    PublicPageCacheMiddleware,
    excluded_prefixes,
    lookup,
    page_cache_enabled,
    page_cache_key,
)
from .outage import log_unavailable
from .proxy import forwarded_scheme

CACHEABLE_METHODS = frozenset({"GET", "HEAD"})
CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")
# Headers of the probe response that are not the middlewares' decoration.
NOT_DECORATION = frozenset({"content-type", "content-length", REQUEST_ID_HEADER.lower()})
PAGE_CACHE_MIDDLEWARE = (
    f"{PublicPageCacheMiddleware.__module__}.{PublicPageCacheMiddleware.__qualname__}"
)
COMPRESSION_MIDDLEWARE = f"{CompressionMiddleware.__module__}.{CompressionMiddleware.__qualname__}"

RECENT_ENTRIES = 512
_clock = time.monotonic

# Headers added by the middlewares in front of the page cache, by whether the request is
# secure; emptied when the settings change (tests).
_decoration: dict[bool, tuple[tuple[str, str], ...]] = {}
# Answers given lately, by page key, method, scheme and accepted codings: (valid until, on
# time.monotonic(); status line; headers without the request id; body). Oldest first.
_recent: dict[tuple, tuple[float, str, list[tuple[str, str]], bytes]] = {}


def _forget_decoration(**kwargs) -> None:
    _decoration.clear()
    _recent.clear()


def _forget_recent(**kwargs) -> None:
    _recent.clear()


setting_changed.connect(_forget_decoration, dispatch_uid="redaktion.core.fasthit")
surrogate.page_cache_purged.connect(_forget_recent, dispatch_uid="redaktion.core.fasthit")


def outer_middleware() -> list[str]:
    """The middleware that runs before the page cache's (settings.MIDDLEWARE)."""
    names = list(settings.MIDDLEWARE)
    return names[: names.index(PAGE_CACHE_MIDDLEWARE)]


def decoration(environ: dict, secure: bool) -> tuple[tuple[str, str], ...]:
    """The headers the outer middlewares add to a page (``outer_middleware``), found by
    running them once on a copy of ``environ`` with an empty response."""
    known = _decoration.get(secure)
    if known is None:
        handler = lambda request: HttpResponse()  # noqa: E731 (the innermost "view")
        for path in reversed(outer_middleware()):
            handler = import_string(path)(handler)
        probe = {
            **environ,
            "REQUEST_METHOD": "GET",
            "wsgi.url_scheme": "https" if secure else "http",
        }
        for name in ("HTTP_X_FORWARDED_PROTO", "HTTP_X_REQUEST_ID", "HTTP_COOKIE"):
            probe.pop(name, None)
        response = handler(WSGIRequest(probe))
        known = tuple(
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in NOT_DECORATION
        )
        _decoration[secure] = known
    return known


class CachedPageApplication:
    """WSGI middleware: a page-cache hit answered before ``application`` (see above)."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        try:
            answer = self.cached(environ)
        except Exception as exc:  # the cache is an optimisation: Django answers instead
            log_unavailable("page cache", exc)
            answer = None
        if answer is None:
            return self.application(environ, start_response)
        status, headers, body = answer
        start_response(status, headers)
        return [body]

    @staticmethod
    def cached(environ) -> tuple[str, list[tuple[str, str]], bytes] | None:
        """Status line, headers and body of the stored page for ``environ``; None when
        Django is to answer."""
        if environ.get("REQUEST_METHOD") not in CACHEABLE_METHODS or not page_cache_enabled():
            return None
        if settings.SESSION_COOKIE_NAME in environ.get("HTTP_COOKIE", ""):
            return None
        if any(environ.get(name) for name in CONDITIONAL_HEADERS):
            return None
        request = WSGIRequest(dict(environ))  # Django builds its own from ``environ``
        if request.path.startswith(excluded_prefixes()):
            return None
        if request.path.startswith(tuple(settings.PAGE_CACHE_FAST_HIT_SKIP_PATHS)):
            return None
        secure = _is_secure(request)
        if settings.SECURE_SSL_REDIRECT and not secure:
            return None
        try:
            key = page_cache_key(request)
        except DisallowedHost:
            return None
        if key is None:
            return None
        codings = frozenset(
            accepted_encodings(environ.get("HTTP_ACCEPT_ENCODING", "")) & {"br", "gzip"}
        )
        recent_key = (key, environ["REQUEST_METHOD"], secure, codings)
        now = _clock()
        recent = _recent.get(recent_key)
        if recent is not None and recent[0] > now:
            _valid_until, status_line, headers, body = recent
        else:
            answer = _stored_answer(environ, request, key, secure)
            if answer is None:
                return None
            status_line, headers, body = answer
            seconds = settings.PAGE_CACHE_LOCAL_SECONDS
            if seconds > 0:
                _recent.pop(recent_key, None)
                _recent[recent_key] = (now + seconds, status_line, headers, body)
                while len(_recent) > RECENT_ENTRIES:
                    _recent.pop(next(iter(_recent)), None)
        return status_line, [*headers, (REQUEST_ID_HEADER, request_id_for(environ))], body


def _stored_answer(environ, request, key: str, secure: bool):
    """Status line, headers (all but the request id) and body of the page stored under
    ``key``; None when there is none."""
    entry = lookup(key)
    if entry is None:
        return None
    status = entry["status"]
    content, stored = _compressed(request, status, entry["content"], entry["headers"])
    headers = list(stored.items())
    present = {name.lower() for name, _ in headers}
    headers += [item for item in decoration(environ, secure) if item[0].lower() not in present]
    headers.append(("Content-Length", str(len(content))))
    body = b"" if environ["REQUEST_METHOD"] == "HEAD" else content
    return f"{status} {HTTPStatus(status).phrase}", headers, body


def _compressed(request, status: int, content: bytes, headers) -> tuple[bytes, dict]:
    """The stored page's body and headers as the compression middleware would send them
    for ``request`` (unchanged where that middleware does not run before the page cache)."""
    if COMPRESSION_MIDDLEWARE not in outer_middleware():
        return content, dict(headers)
    response = HttpResponse(content, status=status)
    for name, value in headers.items():
        response.headers[name] = value
    response = CompressionMiddleware(lambda request: response).process_response(request, response)
    return response.content, {
        name: value for name, value in response.headers.items() if name.lower() != "content-length"
    }


def _is_secure(request) -> bool:
    """Whether the request came over HTTPS, as ``TrustedProxyMiddleware`` decides it (a
    trusted proxy's ``X-Forwarded-Proto``)."""
    return forwarded_scheme(request.META) == "https" or request.is_secure()
