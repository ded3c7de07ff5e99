"""Compression of the app's text responses: brotli where the client accepts it and the
response is public, gzip otherwise (Django's ``GZipMiddleware``).

It sits outside the page cache (``core.middleware``), so the cache stores every page once,
uncompressed, and each answer is compressed for the client that asked: a cached answer is
right for every ``Accept-Encoding``. Every text response carries ``Vary: Accept-Encoding``
whether or not it was compressed, and a compressed one a weak ``ETag`` (the bytes differ
from the uncompressed ones; the page cache compares ``If-None-Match`` weakly, so a reader's
304 still works). Behind Varnish the backend request asks for gzip only (Varnish rewrites
``Accept-Encoding``), so Varnish stores gzip and unzips it for clients without gzip.

Brotli is kept to public responses (``Cache-Control: public``): they are the same for
every reader and hold no secret, so the length of the compressed answer tells an attacker
nothing (BREACH). Responses with per-reader content (CSRF tokens on the manage pages) get
gzip with the random padding of Django's ``GZipMiddleware``.

A public body is compressed once per process and coding (``compress_public``): a cached
page goes to thousands of readers byte for byte the same, and compressing it for each of
them cost more than the rest of a cache hit together (docs/benchmarks.md). The memo holds
the last ``MEMO_ENTRIES`` bodies up to ``MEMO_MAX_LENGTH``; a purged page's new body is a
new key, so nothing stale is ever sent.

Static files are WhiteNoise's (before this middleware), which serves the ``.br`` and
``.gz`` files written at ``collectstatic``.
"""

import functools
import gzip

import brotli
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers

# Brotli's quality for answers compressed per request: 5 compresses a 70 KB page in about
# a millisecond, a little smaller than gzip's best; 11 (the default) takes 100 times longer.
BROTLI_QUALITY = 5
# gzip's level for public answers (GZipMiddleware's is 6 too).
GZIP_LEVEL = 6
# The compressed public bodies each process keeps (``compress_public``): pages, feeds and
# sitemap sections of up to 512 KB, about 16 MB at most with their compressed copies.
MEMO_ENTRIES = 128
MEMO_MAX_LENGTH = 512 * 1024
# Shorter answers gain nothing from compression (the same threshold as GZipMiddleware).
MIN_LENGTH = 200
COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/feed+json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/javascript",
    "application/manifest+json",
    "image/svg+xml",
)


def accepted_encodings(header: str) -> set[str]:
    """The content codings an ``Accept-Encoding`` header allows (``q=0`` refuses one)."""
    accepted = set()
    for item in header.split(","):
        coding, _sep, params = item.strip().partition(";")
        coding = coding.strip().lower()
        quality = 1.0
        for param in params.split(";"):
            name, _eq, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if coding and quality > 0:
            accepted.add(coding)
    return accepted


def compressible(response) -> bool:
    content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
    return content_type.startswith(COMPRESSIBLE_TYPES) and not response.has_header(
        "Content-Encoding"
    )


def is_public(response) -> bool:
    directives = {
        part.strip().split("=", 1)[0].lower()
        for part in response.get("Cache-Control", "").split(",")
    }
    return "public" in directives and "private" not in directives


def _compress(content: bytes, coding: str) -> bytes:
    if coding == "br":
        return brotli.compress(content, quality=BROTLI_QUALITY)
    # mtime=0: the same body gives the same bytes, as a shared cache expects.
    return gzip.compress(content, compresslevel=GZIP_LEVEL, mtime=0)


_memo = functools.lru_cache(maxsize=MEMO_ENTRIES)(_compress)


def compress_public(content: bytes, coding: str) -> bytes:
    """``content`` compressed with ``coding`` ("br" or "gzip"), computed once per process
    for bodies up to ``MEMO_MAX_LENGTH``. Only for public bodies: the result is the same
    for every request, without the padding that hides a secret's length."""
    if len(content) > MEMO_MAX_LENGTH:
        return _compress(content, coding)
    return _memo(content, coding)


class CompressionMiddleware(GZipMiddleware):
    """Brotli or gzip for text responses; everything else passes untouched."""

    def process_response(self, request, response):
        if not compressible(response):
            return response
        if not response.streaming and len(response.content) < MIN_LENGTH:
            return response
        accepted = accepted_encodings(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        if is_public(response) and not response.streaming and accepted & {"br", "gzip"}:
            return self._public(response, "br" if "br" in accepted else "gzip")
        if "gzip" not in accepted:
            patch_vary_headers(response, ("Accept-Encoding",))
            return response
        return super().process_response(request, response)

    def _public(self, response, coding: str):
        patch_vary_headers(response, ("Accept-Encoding",))
        compressed = compress_public(response.content, coding)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = coding
        return response
