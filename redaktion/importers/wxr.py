"""Reading a WordPress export (WXR 1.0, 1.1 and 1.2) as a stream.

``read_wxr(path)`` yields the channel's facts (``Site``), its authors (``WxrAuthor``) and its
items (``WxrItem``) in file order, each as soon as its element ends; the element is then
dropped, so memory does not grow with the file. The parser is defusedxml's, which refuses
DTDs and entities (an entity bomb is an error, not a hang). Whatever makes the whole file
unusable raises ``WxrError`` naming the file and the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from xml.etree.ElementTree import ParseError
from zoneinfo import ZoneInfo

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _

WXR_NAMESPACE = re.compile(r"^http://wordpress\.org/export/(?P<version>[^/]+)/$")
VERSIONS = ("1.0", "1.1", "1.2")
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"
# WordPress writes local times in the site's zone, which the export does not name; the
# newsrooms this is for are in Germany.
SOURCE_ZONE = ZoneInfo("Europe/Berlin")
NO_DATE = "0000-00-00 00:00:00"


class WxrError(Exception):
    """The file cannot be imported at all; the message names the file and the reason."""


@dataclass
class Site:
    version: str
    base_url: str = ""
    title: str = ""


@dataclass
class WxrAuthor:
    login: str
    display_name: str = ""


@dataclass
class WxrItem:
    post_id: str = ""
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    post_name: str = ""
    post_type: str = ""
    status: str = ""
    date: datetime | None = None
    attachment_url: str = ""
    categories: list[tuple[str, str]] = field(default_factory=list)  # (nicename, name)
    tags: list[tuple[str, str]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """How the summary names the item: its title and WordPress id."""
        return f"„{self.title or '—'}“ (ID {self.post_id or '?'})"


def parse_date(local: str, gmt: str) -> datetime | None:
    """``post_date_gmt`` is UTC; a draft has none (``0000-00-00 …``) and falls back to
    ``post_date`` in the site's zone. Returns an aware datetime, or None without a date."""
    for value, zone in ((gmt, UTC), (local, SOURCE_ZONE)):
        value = (value or "").strip()
        if value and value != NO_DATE:
            try:
                return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=zone)
            except ValueError:
                continue
    return None


def _text(element, tag: str) -> str:
    child = element.find(tag)
    return (child.text or "").strip() if child is not None and child.text else ""


def _item(element, wp: str, excerpt_ns: str) -> WxrItem:
    item = WxrItem(
        post_id=_text(element, f"{wp}post_id"),
        title=_text(element, "title"),
        link=_text(element, "link"),
        guid=_text(element, "guid"),
        creator=_text(element, f"{DC}creator"),
        content=(element.findtext(f"{CONTENT}encoded") or ""),
        excerpt=_text(element, f"{excerpt_ns}encoded"),
        post_name=_text(element, f"{wp}post_name"),
        post_type=_text(element, f"{wp}post_type"),
        status=_text(element, f"{wp}status"),
        date=parse_date(_text(element, f"{wp}post_date"), _text(element, f"{wp}post_date_gmt")),
        attachment_url=_text(element, f"{wp}attachment_url"),
    )
    for category in element.findall("category"):
        name = (category.text or "").strip()
        nicename = category.get("nicename") or ""
        if category.get("domain") == "post_tag":
            item.tags.append((nicename, name))
        elif category.get("domain") in ("category", None):
            item.categories.append((nicename, name))
    for meta in element.findall(f"{wp}postmeta"):
        key = _text(meta, f"{wp}meta_key")
        if key:
            item.meta[key] = _text(meta, f"{wp}meta_value")
    return item


def read_wxr(path: Path) -> Iterator[Site | WxrAuthor | WxrItem]:
    """The export at ``path`` as a stream: first a ``Site`` (once the version is known),
    then authors and items in file order. Raises ``WxrError`` for a missing file, a file
    that is not XML or not a WXR, an unknown WXR version or a file that ends too early
    (items before that point have been yielded already)."""
    path = Path(path)
    if not path.is_file():
        raise WxrError(_("%(file)s: no such file.") % {"file": path})
    site: Site | None = None
    wp = excerpt_ns = ""
    depth = 0
    in_item = announced = False
    channel = None
    try:
        for event, element in iterparse(path, events=("start-ns", "start", "end")):
            if event == "start-ns":
                _prefix, uri = element
                match = WXR_NAMESPACE.match(uri)
                if match and site is None:
                    version = match["version"]
                    if version not in VERSIONS:
                        raise WxrError(
                            _("%(file)s: WXR version %(version)s is not supported (%(known)s).")
                            % {"file": path, "version": version, "known": ", ".join(VERSIONS)}
                        )
                    site = Site(version=version)
                    wp = "{" + uri + "}"
                    excerpt_ns = "{" + uri + "excerpt/}"
                continue
            if event == "start":
                depth += 1
                if depth == 1 and (element.tag != "rss" or site is None):
                    raise WxrError(
                        _("%(file)s: not a WordPress export (WXR): no <rss> with the wp namespace.")
                        % {"file": path}
                    )
                if element.tag == "channel" and depth == 2:
                    channel = element
                in_item = in_item or (element.tag == "item" and depth == 3)
                continue
            depth -= 1
            if depth == 2 and channel is not None and not in_item:
                if element.tag == f"{wp}base_site_url" or (
                    element.tag == "link" and not site.base_url
                ):
                    site.base_url = (element.text or "").strip().rstrip("/")
                elif element.tag == "title":
                    site.title = (element.text or "").strip()
                elif element.tag == f"{wp}author":
                    if not announced:
                        announced = True
                        yield site
                    yield WxrAuthor(
                        login=_text(element, f"{wp}author_login"),
                        display_name=_text(element, f"{wp}author_display_name"),
                    )
                    channel.remove(element)
            elif element.tag == "item" and depth == 2:
                in_item = False
                if not announced:
                    announced = True
                    yield site
                item = _item(element, wp, excerpt_ns)
                element.clear()
                channel.remove(element)
                yield item
    except ParseError as error:
        raise WxrError(
            _("%(file)s: not well-formed XML (%(reason)s).") % {"file": path, "reason": error}
        ) from error
    except DefusedXmlException as error:
        raise WxrError(
            _("%(file)s: refused, the XML declares entities or a DTD (%(reason)s).")
            % {"file": path, "reason": error}
        ) from error
    if site is None:
        raise WxrError(_("%(file)s: not a WordPress export (WXR).") % {"file": path})
    if not announced:
        yield site
