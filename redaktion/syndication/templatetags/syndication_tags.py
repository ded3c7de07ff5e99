"""Tags for the ``<head>`` of every page and for the sitemaps."""

from django import template

from ..links import w3c_datetime
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
