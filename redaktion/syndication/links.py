"""Absolute URLs and timestamps as search engines and social networks read them.

Every absolute URL the site hands out (canonical, Open Graph, JSON-LD, sitemaps, robots.txt)
is built on the root URL of the Wagtail ``Site`` that answers the request, never on the
request's Host header: every host name that reaches the site (www and bare domain, a CDN's
origin name) then names the same canonical address, the one Wagtail's own page URLs use.
"""

import copy
from datetime import datetime

from django.conf import settings
from django.urls import NoReverseMatch
from django.utils import timezone
from wagtail.models import Site


def site_for_request(request) -> Site | None:
    """The Wagtail site for ``request``; the default site when no host name matches. Over
    HTTPS (directly or through a trusted proxy) a site stored with port 80 answers as port
    443, so its root URL and every URL built on it say ``https://``; the copy is never saved."""
    site = Site.find_for_request(request)
    if site is not None and site.port == 80 and request.is_secure():
        site = copy.copy(site)
        site.port = 443
    return site


def absolute_url(site: Site, url: str) -> str:
    """``url`` as an absolute URL on ``site``; URLs that already name a host are kept
    (media on a CDN or object storage)."""
    if url.startswith(("http://", "https://")):
        return url
    if url.startswith("//"):
        return f"{site.root_url.split(':', 1)[0]}:{url}"
    return f"{site.root_url}/{url.lstrip('/')}"


def route_url(site: Site, name: str, **kwargs) -> str | None:
    """Absolute URL of a route of the site's home page (``topic``, ``author``), or ``None``
    when the root page has no such route."""
    root = site.root_page.specific_deferred
    if not hasattr(root, "reverse_subpage"):
        return None
    try:
        return absolute_url(site, root.reverse_subpage(name, kwargs=kwargs))
    except NoReverseMatch:
        return None


def author_url(site: Site, author) -> str | None:
    return route_url(site, "author", slug=author.slug)


def topic_url(site: Site, topic) -> str | None:
    return route_url(site, "topic", slug=topic.slug)


def w3c_datetime(value: datetime | None) -> str:
    """``2026-11-25T13:44:06+01:00``: W3C datetime in the site's time zone, whole seconds,
    with the offset, as sitemaps, Open Graph and schema.org expect."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.isoformat(timespec="seconds")


def content_language() -> str:
    """The site's language as a BCP 47 tag (``de``); the site speaks one language."""
    return settings.LANGUAGE_CODE


def news_language() -> str:
    """The language code Google News expects: ISO 639 (``de``), except ``zh-cn``/``zh-tw``."""
    code = settings.LANGUAGE_CODE.lower()
    return code if code in {"zh-cn", "zh-tw"} else code.split("-")[0]


# Open Graph wants language_TERRITORY; the site's language code rarely names a territory.
OG_LOCALES = {"de": "de_DE", "en": "en_GB", "fr": "fr_FR", "it": "it_IT"}


def og_locale() -> str:
    code = settings.LANGUAGE_CODE
    if "-" in code:
        language, territory = code.split("-", 1)
        return f"{language.lower()}_{territory.upper()}"
    return OG_LOCALES.get(code.lower(), code.lower())
