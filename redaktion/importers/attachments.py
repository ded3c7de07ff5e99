"""The export's attachments, for featured images, and pictures fetched from their address.

A post names its featured image by the attachment's id (post meta ``_thumbnail_id``); the
attachment is an item of its own, anywhere in the file. ``attachments_read`` collects what
a lead image needs of every attachment in one pass before the import (skipped when no post
has a featured image): its address and uploads path, caption (the attachment's excerpt),
alternative text and credit. The credit comes from the picture's IPTC data that WordPress
keeps in ``_wp_attachment_metadata``, a PHP-serialised array read here without PHP's
unserialiser (only the two strings wanted are looked up).

``download`` fetches a picture with a timeout and a size limit; any failure is None, so a
missing picture never stops an import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.error import URLError
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

from . import wxr

THUMBNAIL = "_thumbnail_id"
TIMEOUT = 10  # seconds for a picture's download
MAX_BYTES = 20 * 1024 * 1024
CREDIT_LENGTH = 100
CAPTION_LENGTH = 300
USER_AGENT = "Redaktion-Import/1.0"


@dataclass(frozen=True)
class Attachment:
    url: str
    path: str = ""  # below the uploads folder (``_wp_attached_file``)
    title: str = ""
    caption: str = ""
    alt: str = ""
    credit: str = ""

    def as_key(self) -> list[str]:
        """What of the attachment shows on an article, for the post's checksum."""
        return [self.url, self.path, self.caption, self.alt, self.credit]


def _has_thumbnails(path: Path) -> bool:
    tail = b""
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            if THUMBNAIL.encode() in tail + chunk:
                return True
            tail = chunk[-len(THUMBNAIL) :]
    return False


def attachments_read(path: Path) -> dict[str, Attachment]:
    """The attachments of the export at ``path`` by post id; empty when no post names a
    featured image; those before the point where a broken file becomes unreadable."""
    try:
        if not _has_thumbnails(Path(path)):
            return {}
    except OSError:
        return {}
    found = {}
    try:
        for record in wxr.read_wxr(path):
            if (
                isinstance(record, wxr.WxrItem)
                and record.post_type == "attachment"
                and record.post_id
                and record.attachment_url
            ):
                found[record.post_id] = attachment_of(record)
    except wxr.WxrError:
        # The import's own pass meets the same error where it is, after the items before it.
        pass
    return found


def attachment_of(item: wxr.WxrItem) -> Attachment:
    metadata = item.meta.get("_wp_attachment_metadata", "")
    credit = serialized_string(metadata, "credit") or serialized_string(metadata, "copyright")
    return Attachment(
        url=item.attachment_url,
        path=item.meta.get("_wp_attached_file", ""),
        title=item.title,
        caption=" ".join(item.excerpt.split())[:CAPTION_LENGTH],
        alt=item.meta.get("_wp_attachment_image_alt", ""),
        credit=" ".join(credit.split())[:CREDIT_LENGTH],
    )


def serialized_string(data: str, key: str) -> str:
    """The string stored under ``key`` in a PHP-serialised array (``s:6:"credit";s:3:"dpa";``),
    wherever it is nested; "" when it is missing or not a string. PHP counts bytes of UTF-8."""
    raw = data.encode()
    match = re.search(rb's:%d:"%s";s:(\d+):"' % (len(key.encode()), re.escape(key.encode())), raw)
    if not match:
        return ""
    start = match.end()
    value = raw[start : start + int(match[1])]
    if raw[start + int(match[1]) : start + int(match[1]) + 2] != b'";':
        return ""
    return value.decode("utf-8", errors="replace").strip()


def download(url: str, *, timeout: float = TIMEOUT, limit: int = MAX_BYTES) -> bytes | None:
    """The bytes at ``url`` (http or https), or None when it cannot be fetched in ``timeout``
    seconds per read, answers with an error or holds more than ``limit`` bytes."""
    if urlsplit(url).scheme not in ("http", "https"):
        return None
    request = Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310 (scheme checked)
    try:
        with urlopen(request, timeout=timeout) as response:  # noqa: S310 (scheme checked)
            data = response.read(limit + 1)
    except (URLError, OSError, ValueError):
        return None
    return data if len(data) <= limit else None
