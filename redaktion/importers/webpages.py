"""Importing article pages of any site: addresses, local HTML files and sitemaps.

``page_read`` fetches a page (timeout and size limit, ``media.download``) or reads a file
and reads its facts (``extract.extract``); ``PageError`` names the page and the reason it
cannot be used. ``html_import`` writes each page through the shared ``EntryWriter`` under
the source ``html``, keyed by the page's canonical address (a file without one by its
path), so a re-run finds it again; the Ressort comes from the page's section through
``--map`` or the fallback Ressort.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.text import slugify
from django.utils.translation import gettext as _
from lxml.etree import ParserError

from .articles import Entry, EntryWriter, Summary, dry_outcome
from .content import Figure
from .extract import Extracted, extract
from .media import PAGE_LIMIT, FetchError, Images, download
from .services import Options, Progress

SOURCE = "html"
CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.I)
HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body|article|p)\b", re.I)
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
MAX_SITEMAP_PAGES = 50_000


class PageError(Exception):
    """A page or sitemap cannot be used; the message names it and the reason."""


@dataclass
class Page:
    address: str
    is_file: bool
    facts: Extracted

    def as_json(self) -> dict:
        """The page as ``--dry-run --json`` prints it."""
        facts = self.facts
        return {
            ("file" if self.is_file else "url"): self.address,
            "title": facts.title,
            "kicker": facts.kicker,
            "authors": facts.authors,
            "date": facts.date.isoformat() if facts.date else None,
            "updated": facts.updated.isoformat() if facts.updated else None,
            "lead": facts.lead,
            "body": facts.body,
            "image": facts.image,
            "section": facts.section,
            "canonical": facts.url,
        }


def _is_url(address: str) -> bool:
    return urlsplit(address).scheme in ("http", "https")


def _load(address: str) -> bytes:
    if _is_url(address):
        try:
            return download(address, limit=PAGE_LIMIT)
        except FetchError as error:
            raise PageError(f"{address}: {error}") from error
    path = Path(address)
    try:
        if path.stat().st_size > PAGE_LIMIT:
            raise PageError(
                _("%(page)s: larger than %(limit)d bytes") % {"page": address, "limit": PAGE_LIMIT}
            )
        return path.read_bytes()
    except OSError as error:
        raise PageError(
            _("%(page)s: cannot be read (%(reason)s)")
            % {"page": address, "reason": error.strerror or error}
        ) from error


def _decode(address: str, raw: bytes) -> str:
    if b"\x00" in raw[:4096]:
        raise PageError(_("%(page)s: not an HTML page (binary data)") % {"page": address})
    declared = CHARSET.search(raw[:4096])
    for encoding in ("utf-8", declared[1].decode() if declared else "", "windows-1252"):
        if not encoding:
            continue
        try:
            return raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise PageError(_("%(page)s: unknown text encoding") % {"page": address})


def page_read(address: str) -> Page:
    """The article page at ``address`` (an http(s) address or a file) and its facts.
    Raises ``PageError`` when it cannot be had, is no HTML or shows no article."""
    text = _decode(address, _load(address))
    if not HTML_START.search(text[:65536]):
        raise PageError(_("%(page)s: not an HTML page") % {"page": address})
    base = address if _is_url(address) else Path(address).resolve().as_uri()
    try:
        facts = extract(text, url=base)
    except (ParserError, ValueError) as error:
        raise PageError(
            _("%(page)s: the HTML cannot be read (%(reason)s)") % {"page": address, "reason": error}
        ) from error
    if not facts.title or not facts.body:
        raise PageError(
            _("%(page)s: no article found (headline or text missing)") % {"page": address}
        )
    return Page(address=address, is_file=not _is_url(address), facts=facts)


def sitemap_read(address: str, *, depth: int = 0) -> list[str]:
    """The page addresses of a sitemap (or of the sitemaps a sitemap index names, one
    level deep). Raises ``PageError`` for a sitemap that is not one, or unsafe XML."""
    try:
        root = fromstring(_load(address))
    except (ParseError, DefusedXmlException) as error:
        raise PageError(
            _("%(page)s: not a readable sitemap (%(reason)s)") % {"page": address, "reason": error}
        ) from error
    locations = [(loc.text or "").strip() for loc in root.iter(f"{SITEMAP}loc")]
    if root.tag == f"{SITEMAP}sitemapindex" and depth == 0:
        return [page for sitemap in locations for page in sitemap_read(sitemap, depth=1)]
    if root.tag != f"{SITEMAP}urlset":
        raise PageError(_("%(page)s: not a sitemap") % {"page": address})
    return [location for location in locations if location][:MAX_SITEMAP_PAGES]


def addresses_read(addresses: list[str], sitemaps: list[str]) -> list[str]:
    """The pages named on the command line and in the sitemaps, each once, in order."""
    found = list(addresses)
    for sitemap in sitemaps:
        found.extend(sitemap_read(sitemap))
    if not found:
        raise PageError(_("No page given: name addresses, files or --sitemap."))
    return list(dict.fromkeys(found))


def page_entry(page: Page) -> Entry:
    facts = page.facts
    address = facts.url if _is_url(facts.url) else page.address
    key = f"page:{address}"
    if len(key) > 255:
        key = f"page:sha256:{hashlib.sha256(address.encode()).hexdigest()}"
    return Entry(
        key=key,
        label=page.address,
        title=facts.title,
        kicker=facts.kicker,
        lead=facts.lead,
        body_html=facts.body_html,
        date=facts.date,
        updated=facts.updated,
        categories=[(slugify(facts.section), facts.section)] if facts.section else [],
        tags=[(slugify(tag), tag) for tag in facts.tags if slugify(tag)],
        authors=[(slugify(name) or name, name) for name in facts.authors],
        image=Figure(src=facts.image, caption=facts.image_caption) if facts.image else None,
        old_url=facts.url if _is_url(facts.url) else "",
    )


def html_import(
    *,
    addresses: list[str],
    sitemaps: list[str],
    options: Options,
    dry_run: bool = False,
    fetch: bool = True,
    progress: Progress | None = None,
) -> Summary:
    """Import the article pages named by ``addresses`` and ``sitemaps``. A page that cannot
    be read is skipped, with its reason; with ``dry_run`` nothing is written."""
    summary = Summary()
    report = progress or (lambda stage, done, total: None)
    found = addresses_read(addresses, sitemaps)
    writer = EntryWriter(source=SOURCE, options=options, summary=summary, images=None)
    for done, address in enumerate(found, 1):
        try:
            page = page_read(address)
        except PageError as error:
            summary.skip(_("page cannot be read"))
            summary.problems.append(str(error))
            report(_("Import"), done, len(found))
            continue
        entry = page_entry(page)
        if dry_run:
            outcome = dry_outcome(SOURCE, entry)
            setattr(summary, outcome, getattr(summary, outcome) + 1)
        else:
            base = address if _is_url(address) else Path(address).resolve().as_uri()
            writer.images = Images(source=SOURCE, media=options.media, base=base, fetch=fetch)
            writer.write(entry)
            summary.problems.extend(writer.images.errors)
        report(_("Import"), done, len(found))
    return summary
