"""Post content (classic HTML or Gutenberg blocks) → the article body's StreamField blocks.

Gutenberg stores the same HTML as the classic editor between ``<!-- wp:… -->`` comments, so
both are read as HTML once the comments are gone. Classic content separates paragraphs by
blank lines instead of ``<p>`` (WordPress adds them when it shows a post); ``paragraphs()``
does the same here. Rich text passes Wagtail's own whitelist for the paragraph block's
features, the one place imported markup is sanitised: scripts, styles, event handlers,
``javascript:`` links and unknown tags do not survive.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape

from bs4 import BeautifulSoup, NavigableString, Tag
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter
from wagtail.rich_text import RichText

from redaktion.news.blocks import PARAGRAPH_FEATURES

BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "figure", "div")
BLOCK_START = re.compile(
    r"^\s*<(?:p|h[1-6]|ul|ol|li|blockquote|figure|div|table|pre|hr|iframe)\b", re.I
)
TAG = re.compile(r"<[^>]*>")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
CAPTION = re.compile(r"\[caption[^\]]*\](.*?)\[/caption\]", re.S | re.I)
CAPTION_IMAGE = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.S | re.I)
DROPPED = ("script", "style", "noscript", "template", "object", "form")
SUBHEADING_LENGTH = 160
CAPTION_LENGTH = 300

_sanitiser = EditorHTMLConverter(features=PARAGRAPH_FEATURES)


@dataclass
class Figure:
    src: str
    alt: str = ""
    caption: str = ""
    credit: str = ""


# Finds the Wagtail image for a picture in the content, or None when it is not available.
ImageResolver = Callable[[Figure], object | None]


def sanitise(html: str) -> str:
    """``html`` reduced to what the article's paragraph block allows."""
    return _sanitiser.to_database_format(html).strip()


def _caption_shortcode(match: re.Match) -> str:
    inner = match[1]
    parts = CAPTION_IMAGE.match(inner)
    if not parts:
        return inner
    return f"<figure>{parts[1]}<figcaption>{parts[2].strip()}</figcaption></figure>"


def paragraphs(html: str) -> str:
    """Classic content with its blank-line paragraphs wrapped in ``<p>`` (WordPress's
    ``wpautop`` in short): a chunk that starts with a block element stays as it is."""
    chunks = re.split(r"\n\s*\n", html.replace("\r\n", "\n"))
    out = []
    for chunk in chunks:
        if not chunk.strip():
            continue
        if BLOCK_START.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.strip().replace("\n", "<br/>") + "</p>")
    return "\n".join(out)


def body_blocks(content: str, *, resolve_image: ImageResolver) -> tuple[list, int]:
    """The StreamField blocks for ``content``, and how many pictures could not be found
    (``resolve_image`` returned None); such a picture is left out, its caption kept as a
    paragraph only when it has one."""
    content = CAPTION.sub(_caption_shortcode, HTML_COMMENT.sub("", content or ""))
    soup = BeautifulSoup(paragraphs(content), "html.parser")
    for tag in soup.find_all(DROPPED):
        tag.decompose()
    converter = _Converter(resolve_image)
    converter.walk(soup.children)
    return converter.blocks, converter.missing_images


class _Converter:
    def __init__(self, resolve_image: ImageResolver):
        self.resolve_image = resolve_image
        self.blocks: list[tuple[str, object]] = []
        self.missing_images = 0

    def walk(self, nodes) -> None:
        for node in list(nodes):
            if isinstance(node, NavigableString):
                if node.strip():
                    self.paragraph(f"<p>{node}</p>")
                continue
            if not isinstance(node, Tag):
                continue
            name = node.name.lower()
            if name == "p":
                self.p(node)
            elif re.fullmatch(r"h[1-6]", name):
                text = _plain(node)[:SUBHEADING_LENGTH]
                if text:
                    self.blocks.append(("subheading", text))
            elif name in ("ul", "ol"):
                self.paragraph(str(node))
            elif name == "blockquote":
                self.quote(node)
            elif name == "figure":
                self.figure(node)
            elif name == "img":
                self.image(Figure(src=node.get("src", ""), alt=node.get("alt", "")))
            elif name in ("div", "section", "article", "main", "center"):
                self.walk(node.children)
            elif name == "iframe" and node.get("src", "").startswith("https://"):
                self.embed(node["src"], "")
            else:
                self.paragraph(f"<p>{node}</p>")

    def paragraph(self, html: str) -> None:
        clean = sanitise(html)
        if clean and _has_text(clean):
            self.blocks.append(("paragraph", RichText(clean)))

    def p(self, node: Tag) -> None:
        images = node.find_all("img")
        if images and not _plain(node):
            for img in images:
                self.image(Figure(src=img.get("src", ""), alt=img.get("alt", "")))
            return
        self.paragraph(str(node))

    def quote(self, node: Tag) -> None:
        cite = node.find(["cite", "footer"])
        attribution = _plain(cite) if cite else ""
        if cite:
            cite.extract()
        lines = [_plain(p) for p in node.find_all("p")] or [_plain(node)]
        text = "\n".join(line for line in lines if line)
        if text:
            self.blocks.append(("quote", {"text": text, "attribution": attribution[:200]}))

    def figure(self, node: Tag) -> None:
        caption_tag = node.find("figcaption")
        caption = _plain(caption_tag)[:CAPTION_LENGTH] if caption_tag else ""
        img = node.find("img")
        if img is not None:
            self.image(Figure(src=img.get("src", ""), alt=img.get("alt", ""), caption=caption))
            return
        iframe = node.find("iframe")
        url = iframe.get("src", "") if iframe else ""
        if not url:
            wrapper = node.find(class_="wp-block-embed__wrapper") or node
            url = _plain(wrapper).split()[0] if _plain(wrapper) else ""
        if url.startswith("https://"):
            self.embed(url, caption)
        elif caption:
            self.paragraph(f"<p>{caption}</p>")

    def image(self, figure: Figure) -> None:
        image = self.resolve_image(figure) if figure.src else None
        if image is None:
            self.missing_images += 1
            if figure.caption:
                self.paragraph(f"<p>{figure.caption}</p>")
            return
        value = {"image": image, "caption": figure.caption, "credit": ""}
        self.blocks.append(("image", value))

    def embed(self, url: str, caption: str) -> None:
        host = re.sub(r"^www\.", "", re.sub(r"^https://([^/]+).*$", r"\1", url))
        value = {"url": url, "title": (caption or host)[:200], "caption": caption}
        self.blocks.append(("embed", value))


def _has_text(clean: str) -> bool:
    """Whether sanitised (so well-formed) HTML shows any text."""
    return bool(unescape(TAG.sub(" ", clean)).split())


def _plain(node) -> str:
    return " ".join(node.get_text(" ").split()) if node is not None else ""
