"""Tags for the ``<head>`` of every page and for the sitemaps."""

from django import template

from redaktion.core.fragments import fragment
from redaktion.core.models import BrandSettings

from .. import feeds
from ..links import absolute_url, site_for_request, w3c_datetime
from ..metadata import head_metadata
from ..structured_data import json_ld_script

register = template.Library()

CACHE_ATTR = "_syndication_head_metadata"


@register.simple_tag(takes_context=True)
def seo_metadata(context):
    """The page's :class:`~redaktion.syndication.metadata.HeadMetadata`; ``None`` without a
    request.

    Reads the context variables ``page`` (the Wagtail page), ``topic``, ``author`` and
    ``archive_start``/``archive_month`` (routes of the home page), an article's ``authors``
    and ``topics`` when its view loaded them, and ``seo_title`` (views without a page).
    """
    request = context.get("request")
    if request is None:
        return None
    # The title block and the head include both ask; build once per request.
    if not hasattr(request, CACHE_ATTR):
        metadata = head_metadata(
            request=request,
            page=context.get("page"),
            topic=context.get("topic"),
            author=context.get("author"),
            archive_start=context.get("archive_start"),
            archive_month=context.get("archive_month"),
            authors=context.get("authors"),
            topics=context.get("topics"),
            title=context.get("seo_title") or "",
        )
        setattr(request, CACHE_ATTR, metadata)
    return getattr(request, CACHE_ATTR)


@register.simple_tag(takes_context=True)
def seo_title(context):
    """The text of the page's ``<title>``: ``seo_title`` or title, page number, brand."""
    metadata = seo_metadata(context)
    return metadata.title if metadata else ""


@register.filter
def json_ld(data):
    """A dict as a ``<script type="application/ld+json">`` element, escaped for HTML."""
    return json_ld_script(data)


@register.filter
def w3c(value):
    """A datetime as W3C datetime with offset, in the site's time zone."""
    return w3c_datetime(value)


@register.simple_tag(takes_context=True)
def feed_links(context, kind=feeds.SITE, subject=None):
    """``<link rel="alternate">`` for the feeds of ``subject`` (a Ressort page, a topic or
    an author; ``kind`` says which: ``ressort``, ``topic``, ``author``) in RSS, Atom and JSON
    Feed, then the site's own feeds; only the site's without a subject. Absolute URLs on
    the Wagtail site's root URL; nothing without a request or a site.

    ``{% feed_links %}`` on the home page, ``{% feed_links "ressort" page %}``,
    ``{% feed_links "topic" topic %}``, ``{% feed_links "author" author %}``, and on an
    article ``{% feed_links "ressort" page.ressort %}``. No queries of its own: the site
    and the brand settings are cached on the request. A fragment named by everything it
    shows (the root URL, the brand's name, the subject's slug and title), so a change of
    any of them names another one.
    """
    request = context.get("request")
    site = site_for_request(request) if request is not None else None
    template = context.template.engine.get_template("syndication/feed_links.html")
    if site is None:
        return template.render(context.new({"links": []}))
    brand_name = BrandSettings.for_request(request).name
    channels = [(feeds.SITE, None)]
    if kind in feeds.KINDS and kind != feeds.SITE and getattr(subject, "slug", None):
        channels.insert(0, (kind, subject))
    titles = [feeds.channel_title(k, subject, brand_name) for k, subject in channels]
    slugs = [subject.slug if subject is not None else None for __, subject in channels]

    def render() -> str:
        links = []
        for (channel_kind, __), title, slug in zip(channels, titles, slugs, strict=True):
            for fmt in feeds.FORMATS.values():
                links.append(
                    {
                        "type": fmt.media_type,
                        "title": f"{title} ({fmt.label})",
                        "href": absolute_url(site, feeds.feed_path(channel_kind, fmt.key, slug)),
                    }
                )
        return template.render(context.new({"links": links}))

    kinds = [channel_kind for channel_kind, __ in channels]
    name = "|".join(map(str, ["feed-links", site.root_url, *kinds, *titles, *slugs]))
    return fragment(name, render, request=request)
