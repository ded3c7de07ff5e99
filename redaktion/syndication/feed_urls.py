"""``/feeds/…``: RSS 2.0, Atom and JSON Feed for the site and for each Ressort, topic and
author, named in the ``feeds`` namespace (``feeds:rss``, ``feeds:ressort_atom``,
``feeds:topic_json``, …; see :func:`.feeds.url_name`)."""

from django.urls import path

from .feeds import FORMATS, SITE, ArticleFeed

app_name = "feeds"

# /feeds/ressort/<slug>/…, /feeds/thema/<slug>/…, /feeds/autor/<slug>/… - the same words as
# the reader pages (/thema/<slug>/, /autor/<slug>/).
SEGMENTS = {"ressort": "ressort", "topic": "thema", "author": "autor"}

urlpatterns = [
    path(fmt.filename, ArticleFeed(kind=SITE, fmt=key), name=key) for key, fmt in FORMATS.items()
] + [
    path(
        f"{segment}/<slug:slug>/{fmt.filename}",
        ArticleFeed(kind=kind, fmt=key),
        name=f"{kind}_{key}",
    )
    for kind, segment in SEGMENTS.items()
    for key, fmt in FORMATS.items()
]
