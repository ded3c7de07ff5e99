"""Ghost's stored content → HTML, for ``content.body_blocks`` to turn into blocks.

Ghost 5 keeps a post's content as Lexical JSON (``lexical``), older posts as Mobiledoc JSON
(``mobiledoc``), and the rendered ``html`` next to them. The editor formats are preferred,
since they say what a card is (an image with its caption, an embed) where the HTML only
shows Ghost's markup for it. Text is escaped here; whatever markup a card carries (an HTML
or embed card) is passed on as it is and sanitised with the rest by ``body_blocks``.
"""

from __future__ import annotations

import json
from html import escape

# Lexical's text format bits, and the tags they stand for.
FORMATS = ((1, "strong"), (2, "em"), (4, "s"), (8, "u"), (16, "code"), (32, "sub"), (64, "sup"))
MOBILEDOC_MARKUP = 1
MOBILEDOC_IMAGE = 2
MOBILEDOC_LIST = 3
MOBILEDOC_CARD = 10


class ContentError(ValueError):
    """The stored content cannot be read; the message says why."""


def ghost_html(post: dict) -> str:
    """The post's content as HTML, from ``lexical``, else ``mobiledoc``, else ``html``.
    Raises ``ContentError`` when the editor format is there but not valid JSON of its kind."""
    if post.get("lexical"):
        return lexical_html(_load(post["lexical"], "lexical"))
    if post.get("mobiledoc"):
        return mobiledoc_html(_load(post["mobiledoc"], "mobiledoc"))
    return post.get("html") or ""


def _load(value, name: str) -> dict:
    if isinstance(value, dict):
        return value
    try:
        data = json.loads(value)
    except (TypeError, ValueError) as error:
        raise ContentError(f"{name}: {error}") from error
    if not isinstance(data, dict):
        raise ContentError(f"{name}: not an object")
    return data


# -- Lexical -------------------------------------------------------------------------------


def lexical_html(document: dict) -> str:
    root = document.get("root")
    if not isinstance(root, dict):
        raise ContentError("lexical: no root")
    return "\n".join(_lexical_block(node) for node in root.get("children") or [])


def _children(node: dict) -> str:
    return "".join(_lexical_inline(child) for child in node.get("children") or [])


def _lexical_inline(node: dict) -> str:
    kind = node.get("type")
    if kind in ("text", "extended-text"):
        html = escape(node.get("text", ""), quote=False)
        bits = node.get("format") or 0
        for bit, tag in FORMATS:
            if isinstance(bits, int) and bits & bit:
                html = f"<{tag}>{html}</{tag}>"
        return html
    if kind == "linebreak":
        return "<br/>"
    if kind in ("link", "autolink"):
        return f'<a href="{escape(node.get("url", ""))}">{_children(node)}</a>'
    return _children(node)


def _caption(node: dict) -> str:
    caption = node.get("caption") or ""
    return f"<figcaption>{caption}</figcaption>" if caption else ""


def _lexical_block(node: dict) -> str:
    kind = node.get("type")
    if kind in ("paragraph", "extended-paragraph"):
        return f"<p>{_children(node)}</p>"
    if kind in ("heading", "extended-heading"):
        tag = node.get("tag") if node.get("tag") in ("h2", "h3", "h4", "h5", "h6") else "h2"
        return f"<{tag}>{_children(node)}</{tag}>"
    if kind in ("quote", "extended-quote", "aside"):
        return f"<blockquote><p>{_children(node)}</p></blockquote>"
    if kind == "list":
        tag = "ol" if node.get("listType") == "number" else "ul"
        items = "".join(f"<li>{_children(item)}</li>" for item in node.get("children") or [])
        return f"<{tag}>{items}</{tag}>"
    if kind == "image":
        src, alt = escape(node.get("src", "")), escape(node.get("alt", ""))
        return f'<figure><img src="{src}" alt="{alt}"/>{_caption(node)}</figure>'
    if kind == "embed":
        url = escape(node.get("url", ""))
        return f'<figure><iframe src="{url}"></iframe>{_caption(node)}</figure>'
    if kind == "html":
        return node.get("html", "")
    if kind == "markdown":
        return _markdown(node.get("markdown", ""))
    if kind == "horizontalrule":
        return ""
    return f"<p>{_children(node)}</p>" if node.get("children") else ""


def _markdown(text: str) -> str:
    """A Markdown card's text as plain paragraphs: its markup is not interpreted."""
    paragraphs = [part.strip() for part in text.split("\n\n")]
    return "".join(f"<p>{escape(part, quote=False)}</p>" for part in paragraphs if part)


# -- Mobiledoc -----------------------------------------------------------------------------


def mobiledoc_html(document: dict) -> str:
    markups = document.get("markups") or []
    cards = document.get("cards") or []
    atoms = document.get("atoms") or []
    out = []
    for section in document.get("sections") or []:
        if not isinstance(section, list) or not section:
            raise ContentError("mobiledoc: a section is not a list")
        kind = section[0]
        if kind == MOBILEDOC_MARKUP:
            tag = str(section[1]).lower()
            tag = tag if tag in ("p", "h2", "h3", "h4", "h5", "h6", "blockquote") else "p"
            inner = _markers(section[2], markups, atoms)
            out.append(
                f"<blockquote><p>{inner}</p></blockquote>"
                if tag == "blockquote"
                else f"<{tag}>{inner}</{tag}>"
            )
        elif kind == MOBILEDOC_LIST:
            tag = "ol" if section[1] == "ol" else "ul"
            items = "".join(f"<li>{_markers(item, markups, atoms)}</li>" for item in section[2])
            out.append(f"<{tag}>{items}</{tag}>")
        elif kind == MOBILEDOC_IMAGE:
            out.append(f'<figure><img src="{escape(section[1])}"/></figure>')
        elif kind == MOBILEDOC_CARD:
            out.append(_mobiledoc_card(cards[section[1]]))
    return "\n".join(out)


def _markers(markers: list, markups: list, atoms: list) -> str:
    """Mobiledoc's markers: ``[type, opened markups, closed count, value]``; type 1 is an
    atom (Ghost's soft return)."""
    html, open_tags = [], []
    for kind, opened, closed, value in markers:
        for index in opened:
            tag, *attributes = markups[index]
            attrs = (
                dict(zip(attributes[0][::2], attributes[0][1::2], strict=True))
                if attributes
                else {}
            )
            href = f' href="{escape(attrs["href"])}"' if tag == "a" and "href" in attrs else ""
            html.append(f"<{tag}{href}>")
            open_tags.append(tag)
        if kind == 1:
            html.append(
                "<br/>" if atoms[value][0] == "soft-return" else escape(str(atoms[value][1]))
            )
        else:
            html.append(escape(value, quote=False))
        for _index in range(closed):
            html.append(f"</{open_tags.pop()}>")
    html.extend(f"</{tag}>" for tag in reversed(open_tags))
    return "".join(html)


def _mobiledoc_card(card: list) -> str:
    name, payload = card[0], card[1] if len(card) > 1 else {}
    if name == "image":
        src, alt = escape(payload.get("src", "")), escape(payload.get("alt", ""))
        return f'<figure><img src="{src}" alt="{alt}"/>{_caption(payload)}</figure>'
    if name == "embed":
        url = escape(payload.get("url", ""))
        return f'<figure><iframe src="{url}"></iframe>{_caption(payload)}</figure>'
    if name == "html":
        return payload.get("html", "")
    if name in ("markdown", "card-markdown"):
        return _markdown(payload.get("markdown", ""))
    return ""
