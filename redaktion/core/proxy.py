"""The reader behind a trusted reverse proxy (nginx, a load balancer, a CDN's edge).

Only a request that arrives from an address in ``TRUSTED_PROXIES`` may say who the client is
(``X-Forwarded-For``) and whether it came over HTTPS (``X-Forwarded-Proto``); from anywhere
else both headers are ignored, so nobody can pick the address the rate limits and the login
lockout count, or make the site believe a plain-HTTP request was secure. The middleware
rewrites the request once, first of all, so every later reader of ``REMOTE_ADDR`` and
``request.scheme`` (Django's HTTPS redirect, Wagtail's URLs, the sitemaps, the feeds) sees
the client's values.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def forwarded_client(meta: dict) -> str:
    """The client address: the right-most ``X-Forwarded-For`` entry that is not one of the
    trusted proxies (each proxy appends the address it got the request from)."""
    remote = meta.get("REMOTE_ADDR", "")
    if not is_trusted(remote):
        return remote
    for hop in reversed(meta.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        hop = hop.strip()
        if not hop:
            continue
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return remote  # a malformed chain: trust none of it
        if not is_trusted(hop):
            return hop
    return remote


def forwarded_scheme(meta: dict) -> str:
    """``http`` or ``https`` as a trusted proxy's ``X-Forwarded-Proto`` says; empty when the
    request did not come from a trusted proxy or the header says neither."""
    if not is_trusted(meta.get("REMOTE_ADDR", "")):
        return ""
    proto = meta.get("HTTP_X_FORWARDED_PROTO", "").split(",")[0].strip().lower()
    return proto if proto in {"http", "https"} else ""


def client_ip(request) -> str:
    """The client's address (after ``TrustedProxyMiddleware``); also axes' callable."""
    return request.META.get("REMOTE_ADDR", "")


class TrustedProxyMiddleware:
    """Takes the client address and scheme from the forwarding headers of a trusted proxy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        take_forwarded(request.META)
        return self.get_response(request)


def take_forwarded(meta: dict) -> None:
    """Rewrites a request's ``REMOTE_ADDR`` and scheme to the client's where a trusted proxy
    forwarded it (what the middleware does; also for answers given in front of Django)."""
    # The address the request came from, kept for what must judge the proxy itself
    # (core.logs takes a proxy's X-Request-ID only from a trusted one).
    meta["REDAKTION_PEER_ADDR"] = meta.get("REMOTE_ADDR", "")
    proto = forwarded_scheme(meta)  # before REMOTE_ADDR becomes the client's
    if is_trusted(meta.get("REMOTE_ADDR", "")):
        meta["REMOTE_ADDR"] = forwarded_client(meta)
        if proto:
            meta["wsgi.url_scheme"] = proto


def secure_root_url(root_url: str, request) -> str:
    """A site's root URL with the request's scheme: a site stored with port 80 (``http://``)
    but reached over HTTPS through its proxy gets ``https://`` links. A root URL with an
    explicit port is kept as it is."""
    if request is not None and request.is_secure() and root_url.startswith("http://"):
        rest = root_url.removeprefix("http://")
        if ":" not in rest:
            return f"https://{rest}"
    return root_url


class RequestSchemeMixin:
    """For page models: ``get_full_url(request)`` and every other absolute URL Wagtail builds
    for a page take the request's scheme (``secure_root_url``)."""

    def get_url_parts(self, request=None):
        parts = super().get_url_parts(request)
        if parts is None:
            return None
        site_id, root_url, page_path = parts
        return site_id, secure_root_url(root_url, request), page_path
