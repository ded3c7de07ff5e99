"""WordPress pages (``post_type`` ``page``) → ``StandardPage`` under the home page.

Impressum, Über uns and the like become standard pages, flat under the home page (the only
place ``StandardPage`` may live): a page WordPress nested (``/ueber-uns/team/``) keeps its
old address as a permanent redirect. The body is the page's HTML reduced to what the
standard page's rich text allows; pictures and embeds do not survive there. Published pages
go live with their original date, scheduled ones are scheduled, drafts stay drafts. Like a
post, a page is made once and updated only when its source changed.
"""

from __future__ import annotations

import re

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter

from redaktion.news import factories
from redaktion.news.models import StandardPage

from . import wxr
from .content import CAPTION, DROPPED, HTML_COMMENT, paragraphs
from .models import ImportedItem

# The standard page has h2 and h3 only: a title above them becomes h2, one below h3.
HEADING = re.compile(r"<(/?)h([1-6])\b", re.I)
_sanitiser = EditorHTMLConverter(features=StandardPage._meta.get_field("body").features)


class PageError(Exception):
    """The page cannot be imported; the message says why."""


def page_body(content: str) -> str:
    """The page's content (classic or Gutenberg) as the standard page's rich text."""
    html = CAPTION.sub(r"\1", HTML_COMMENT.sub("", content or ""))
    for tag in DROPPED:
        html = _drop(html, tag)
    html = HEADING.sub(lambda m: f"<{m[1]}h{min(max(int(m[2]), 2), 3)}", html)
    return _sanitiser.to_database_format(paragraphs(html)).strip()


def _drop(html: str, tag: str) -> str:
    lower = html.lower()
    while (start := lower.find(f"<{tag}")) != -1:
        end = lower.find(f"</{tag}>", start)
        cut = len(html) if end == -1 else end + len(tag) + 3
        html, lower = html[:start] + html[cut:], lower[:start] + lower[cut:]
    return html


def standard_page_import(importer, item: wxr.WxrItem, checksum: str) -> str:
    """Makes or updates the standard page of ``item`` for ``importer`` (the service's
    ``_Importer``), in the caller's transaction; returns ``created``, ``updated`` or
    ``unchanged``. Raises ``PageError`` for a page without id or content."""
    if not item.post_id:
        raise PageError(_("the page has no wp:post_id"))
    key = f"page:{item.post_id}"
    record, page = ImportedItem.objects.find(
        source=importer.source, key=key, model=StandardPage, lock=True
    )
    if page is not None and record.checksum == checksum:
        return "unchanged"
    body = page_body(item.content)
    if not body:
        raise PageError(_("the page has no content"))
    created = page is None
    if created:
        home = factories.home_page()
        page = StandardPage(
            title=item.title or item.post_name or item.post_id,
            slug=_free_slug(home, item),
            body=body,
            live=False,
        )
        home.add_child(instance=page)
    else:
        page.title = item.title or page.title
        page.body = body
    if item.status == "future":
        page.go_live_at = item.date
    if item.status == "publish" and page.first_published_at is None:
        page.first_published_at = item.date or timezone.now()
    revision = page.save_revision(log_action=True)
    if item.status in ("publish", "future"):
        revision.publish()
        if created and item.status == "publish":
            factories.backdate(page, revision, last_published_at=None)
    ImportedItem.objects.remember(
        source=importer.source, key=key, obj=page, checksum=checksum, record=record
    )
    if item.status == "publish":
        importer.redirect(item.link, page)
    return "created" if created else "updated"


def _free_slug(home, item: wxr.WxrItem) -> str:
    base = (slugify(item.post_name) or slugify(item.title) or f"seite-{item.post_id}")[:70]
    taken = set(home.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug
