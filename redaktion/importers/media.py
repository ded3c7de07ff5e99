"""Pictures and pages from elsewhere: a local folder first, else a bounded download.

``download()`` fetches an ``http(s)`` address with a timeout and a size limit and raises
``FetchError`` with the reason instead of hanging or filling memory. ``Images`` turns a
picture of an imported item into a Wagtail image, once per address: from the ``--media``
folder when a file there matches the end of the address's path (so the folder can be a
site's ``content/images`` or ``wp-content/uploads`` or any parent of them), else downloaded.
A picture that cannot be had is None, and the import goes on without it.
"""

from __future__ import annotations

import urllib.request
from pathlib import Path, PurePosixPath
from urllib.error import HTTPError, URLError
from urllib.parse import unquote, urljoin, urlsplit

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import UnidentifiedImageError
from wagtail.images import get_image_model

from redaktion.news import factories

from .content import Figure
from .models import ImportedItem

TIMEOUT = 10.0
IMAGE_LIMIT = 15 * 1024 * 1024
PAGE_LIMIT = 5 * 1024 * 1024
USER_AGENT = "Redaktion-Import/1.0"
CHUNK = 64 * 1024


class FetchError(Exception):
    """The address could not be fetched; the message says why."""


def download(url: str, *, limit: int, timeout: float = TIMEOUT) -> bytes:
    """The body at ``url`` (``http`` or ``https`` only), at most ``limit`` bytes, each read
    waiting at most ``timeout`` seconds. Raises ``FetchError`` for another scheme, an
    error status, a network failure or a body over the limit."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise FetchError(_("only http and https addresses can be fetched"))
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310 (scheme checked above)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise FetchError(_("larger than %(limit)d bytes") % {"limit": limit})
            data = bytearray()
            while chunk := response.read(CHUNK):
                data += chunk
                if len(data) > limit:
                    raise FetchError(_("larger than %(limit)d bytes") % {"limit": limit})
            return bytes(data)
    except HTTPError as error:
        raise FetchError(f"HTTP {error.code} {error.reason}") from error
    except URLError as error:
        raise FetchError(str(getattr(error, "reason", error))) from error
    except (OSError, ValueError) as error:
        raise FetchError(str(error) or error.__class__.__name__) from error


class Images:
    """Wagtail images for the pictures of one source, remembered in ``ImportedItem`` under
    ``media:<address>`` so a re-run makes none twice. ``base`` resolves relative addresses
    (a page's own address, or a ``file:`` address of a local page, whose folder is then
    the only place a relative picture is read from); ``fetch`` False never downloads."""

    def __init__(self, *, source: str, media: Path | None, base: str = "", fetch: bool = True):
        self.source = source
        self.media = media.resolve() if media is not None else None
        self.base = base
        self.fetch = fetch
        self.model = get_image_model()
        self.errors: list[str] = []

    def __call__(self, figure: Figure):
        address = urljoin(self.base, figure.src.strip()) if self.base else figure.src.strip()
        if not address:
            return None
        key = f"media:{address}"[:255]
        record, image = ImportedItem.objects.find(source=self.source, key=key, model=self.model)
        if image is not None:
            return image
        data = self.read(address)
        if data is None:
            return None
        name = PurePosixPath(unquote(urlsplit(address).path)).name or "bild"
        try:
            image = factories.ImageFactory(
                title=(figure.alt or Path(name).stem)[:255],
                description=figure.alt[:255],
                file=ContentFile(data, name=name),
            )
        except (UnidentifiedImageError, OSError, ValueError):
            self.errors.append(_("%(src)s: not a picture") % {"src": address})
            return None
        ImportedItem.objects.remember(source=self.source, key=key, obj=image, record=record)
        return image

    def read(self, address: str) -> bytes | None:
        parts = urlsplit(address)
        local = self.local(PurePosixPath(unquote(parts.path)), file=parts.scheme == "file")
        if local is not None:
            return local.read_bytes()
        if not self.fetch or parts.scheme not in ("http", "https"):
            return None
        try:
            return download(address, limit=IMAGE_LIMIT)
        except FetchError as error:
            self.errors.append(f"{address}: {error}")
            return None

    def local(self, path: PurePosixPath, *, file: bool) -> Path | None:
        """The file in the media folder whose path is the longest tail of ``path``; for a
        ``file:`` address the file itself, when it lies in the folder of the base page."""
        if file:
            base = urlsplit(self.base)
            if base.scheme != "file":
                return None
            root = Path(unquote(base.path)).parent.resolve()
            candidate = Path(str(path)).resolve()
            return candidate if candidate.is_relative_to(root) and candidate.is_file() else None
        if self.media is None:
            return None
        parts = [part for part in path.parts if part not in ("/", "..", ".")]
        for start in range(len(parts)):
            candidate = (self.media / Path(*parts[start:])).resolve()
            if candidate.is_relative_to(self.media) and candidate.is_file():
                return candidate
        return None
