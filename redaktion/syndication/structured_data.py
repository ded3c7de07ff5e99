"""schema.org JSON-LD for search engines: NewsArticle, the publisher, the site, breadcrumbs.

Builders are plain functions from already loaded values to dicts, so they run no queries;
:mod:`redaktion.syndication.metadata` gathers the values. :func:`json_ld_script` is the
only way the dicts reach HTML.
"""

import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .links import absolute_url, content_language, w3c_datetime

SCHEMA_CONTEXT = "https://schema.org"

# The same escapes as Django's json_script: text such as "</script>" or "<!--" in a headline
# stays inside the string instead of ending the script element.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@dataclass(frozen=True)
class ShareImage:
    """An image rendition as crawlers fetch it: absolute URL and its pixel size."""

    url: str
    width: int
    height: int
    alt: str = ""

    def as_image_object(self) -> dict:
        return {
            "@type": "ImageObject",
            "url": self.url,
            "width": self.width,
            "height": self.height,
        }


def json_ld_script(data: dict) -> SafeString:
    """``data`` as a ``<script type="application/ld+json">`` element, safe to put in HTML."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    # The escapes above leave no "<", ">" or "&" in the text, so it cannot leave the script.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


def home_url(site) -> str:
    return absolute_url(site, "/")


def organization(*, site, brand, logo: ShareImage | None) -> dict:
    """The publisher: name from the brand settings, logo as an ImageObject when there is one."""
    data = {
        "@type": "NewsMediaOrganization",
        "@id": f"{home_url(site)}#organization",
        "name": brand.name,
        "url": home_url(site),
    }
    if logo is not None:
        data["logo"] = logo.as_image_object()
    return data


def organization_document(*, site, brand, logo: ShareImage | None) -> dict:
    return {"@context": SCHEMA_CONTEXT, **organization(site=site, brand=brand, logo=logo)}


def website_document(*, site, brand) -> dict:
    data = {
        "@context": SCHEMA_CONTEXT,
        "@type": "WebSite",
        "@id": f"{home_url(site)}#website",
        "name": brand.name,
        "url": home_url(site),
        "inLanguage": content_language(),
        "publisher": {"@id": f"{home_url(site)}#organization"},
    }
    if brand.tagline:
        data["description"] = brand.tagline
    return data


def breadcrumb_document(trail: list[tuple[str, str]]) -> dict:
    """A BreadcrumbList from ``(name, absolute URL)`` pairs, home first."""
    return {
        "@context": SCHEMA_CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }


def person(author, url: str | None) -> dict:
    data = {"@type": "Person", "name": author.name}
    if url:
        data["url"] = url
    if author.role:
        data["jobTitle"] = author.role
    return data


def news_article_document(
    *,
    page,
    canonical: str,
    description: str,
    section: str,
    authors: list[tuple[object, str | None]],
    topics: list[str],
    images: list[ShareImage],
    publisher: dict,
) -> dict:
    """NewsArticle for an ArticlePage.

    ``dateModified`` is the editor's update time when there is one, else the last
    publication; ``correction`` appears only when the article carries a correction note.
    """
    modified = page.updated_at or page.last_published_at or page.first_published_at
    data = {
        "@context": SCHEMA_CONTEXT,
        "@type": "NewsArticle",
        "headline": page.title,
        "description": description,
        "url": canonical,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "inLanguage": content_language(),
        "isAccessibleForFree": True,
        "author": [person(author, url) for author, url in authors],
        "publisher": publisher,
    }
    if page.first_published_at:
        data["datePublished"] = w3c_datetime(page.first_published_at)
    if modified:
        data["dateModified"] = w3c_datetime(modified)
    if section:
        data["articleSection"] = section
    if topics:
        data["keywords"] = topics
    if images:
        data["image"] = [image.as_image_object() for image in images]
    if page.correction_note:
        correction = {"@type": "CorrectionComment", "text": page.correction_note}
        if page.updated_at:
            correction["datePublished"] = w3c_datetime(page.updated_at)
        data["correction"] = correction
    return data


def live_blog_document(*, article: dict, page, entries, canonical: str) -> dict:
    """LiveBlogPosting for a Liveticker: the article's NewsArticle fields, the coverage
    times (``coverageEndTime`` once the ticker is closed) and one ``BlogPosting`` per entry
    the page shows in ``liveBlogUpdate``, newest first, as Google documents for the LIVE
    badge."""
    data = {**article, "@type": "LiveBlogPosting"}
    start = page.coverage_started_at
    if start:
        data["coverageStartTime"] = w3c_datetime(start)
    if page.closed_at:
        data["coverageEndTime"] = w3c_datetime(page.closed_at)
    updates = []
    for entry in sorted(entries, key=lambda e: (e.posted_at, e.pk), reverse=True):
        update = {
            "@type": "BlogPosting",
            "headline": entry.title or page.title,
            "url": f"{canonical}#eintrag-{entry.pk}",
            "datePublished": w3c_datetime(entry.posted_at),
            "articleBody": entry.plain_text,
        }
        if entry.updated_at:
            update["dateModified"] = w3c_datetime(entry.updated_at)
        if entry.author is not None:
            update["author"] = person(entry.author, None)
        updates.append(update)
    if updates:
        data["liveBlogUpdate"] = updates
        newest = max(e.updated_at or e.posted_at for e in entries)
        data["dateModified"] = w3c_datetime(
            max(newest, page.updated_at or page.last_published_at or newest)
        )
    return data
