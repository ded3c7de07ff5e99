"""The body of a WordPress page (``post_type`` ``page``) for a ``StandardPage``.

Impressum, Über uns and the like become standard pages, flat under the home page (the only
place ``StandardPage`` may live), written by ``articles.EntryWriter`` like every imported
page: a page WordPress nested (``/ueber-uns/team/``) keeps its old address as a permanent
redirect. The body is the page's HTML (classic or Gutenberg) reduced to what the standard
page's rich text allows; pictures and embeds do not survive there.
"""

from __future__ import annotations

import re

from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter

from redaktion.news.models import StandardPage

from .content import CAPTION, DROPPED, HTML_COMMENT, paragraphs

# The standard page has h2 and h3 only: a title above them becomes h2, one below h3.
HEADING = re.compile(r"<(/?)h([1-6])\b", re.I)
_sanitiser = EditorHTMLConverter(features=StandardPage._meta.get_field("body").features)


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
