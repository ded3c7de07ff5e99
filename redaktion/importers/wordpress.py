"""Importing a WordPress export (WXR 1.0 to 1.2, "Tools → Export") into the newsroom.

``wordpress_import`` reads the export as a stream (``wxr.read_wxr``), turns each post and
page into an ``articles.Entry`` (``wordpress_entry``) and writes it through the shared
``EntryWriter``, under the source of the site's base address and the key ``post:<id>`` or
``page:<id>``: each item in a transaction of its own with the ``ImportedItem`` row that
remembers it, so an interrupted run leaves no half article and the next run of the same
file neither duplicates nor loses anything. A post whose source did not change (same
checksum) is left alone, so editors' later edits survive a re-run; a changed one gets a new
revision. Pictures come from the uploads folder (``--media``) or, when asked, a bounded
download, keyed by their path below ``wp-content/uploads`` (``WordPressImages``).
"""

from __future__ import annotations

import hashlib
import json
from contextlib import nullcontext
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import UnidentifiedImageError
from wagtail.images import get_image_model

from redaktion.news import factories

from . import bulk, wxr
from .articles import Entry, EntryWriter
from .attachments import Attachment, attachments_read, download
from .content import Figure
from .models import ImportedItem
from .pages import page_body
from .placement import ItemError
from .services import Options, Progress, Summary

UPLOADS = "/wp-content/uploads/"
# A post's content beyond this many characters is refused: no article is that long, and
# turning it into blocks would take minutes and hundreds of megabytes.
MAX_CONTENT = 2_000_000
# From this many items on, an import runs in bulk (``importers.bulk``) unless told otherwise.
BULK_FROM = 100
TYPES = ("post", "page")
STATUSES = ("publish", "future", "draft", "pending")


def wordpress_import(
    *, path: Path, options: Options, progress: Progress | None = None, dry_run: bool = False
) -> Summary:
    """Import the posts and pages of the WXR at ``path``; returns what happened to each.

    Posts become articles: ``publish`` live since their original date, ``future``
    scheduled for it, ``draft`` and ``pending`` drafts; pages become standard pages; other
    statuses and types are skipped with the reason counted. A broken item is recorded in
    ``failed`` with its title and id, and the rest continues. Raises ``wxr.WxrError`` when
    the file is unusable (items before a truncation stay imported, and a re-run completes
    them).

    In bulk (``options.bulk``, by default from ``BULK_FROM`` items on) the search index,
    the related lists and the page caches are not updated per article: one ``import`` event
    rebuilds and purges them in the worker once the run ends, interrupted or not.

    ``dry_run``: every item is read and checked as the import would (its Ressort, author
    and content) and counted as it would be created, updated or left unchanged or fail;
    nothing is written and no picture is looked for."""
    summary = Summary()
    report = progress or (lambda stage, done, total: None)
    writer = attachments = None
    authors: dict[str, wxr.WxrAuthor] = {}
    done = 0
    total = _count_items(path)
    in_bulk = not dry_run and (options.bulk if options.bulk is not None else total >= BULK_FROM)
    with bulk.deferred() if in_bulk else nullcontext():
        try:
            for record in wxr.read_wxr(path):
                if isinstance(record, wxr.Site):
                    source = record.base_url or "wordpress"
                    attachments = attachments_read(path)
                    images = WordPressImages(source=source, options=options, found=attachments)
                    writer = EntryWriter(
                        source=source, options=options, summary=summary, images=images
                    )
                    writer.in_bulk = in_bulk
                elif isinstance(record, wxr.WxrAuthor):
                    authors[record.login] = record
                else:
                    _item(record, writer, authors, attachments, dry_run=dry_run)
                    if not dry_run:
                        done += 1
                        report(_("Import"), done, total)
        finally:
            if in_bulk and writer is not None:
                writer.facts.flush()
                if summary.created or summary.updated:
                    bulk.rebuild_record(
                        source=writer.source, articles=summary.created + summary.updated
                    )
    return summary


def _item(item: wxr.WxrItem, writer: EntryWriter, authors, attachments, *, dry_run: bool):
    """Writes (or with ``dry_run`` checks) the post or page ``item``, or counts why not."""
    if _skipped(item, writer.summary):
        return
    try:
        entry = wordpress_entry(item, authors, attachments, options=writer.options)
    except ItemError as error:
        writer.summary.failed.append(f"{item.label}: {error}")
        return
    if dry_run:
        writer.dry(entry)
    else:
        writer.write(entry)


def _count_items(path: Path) -> int:
    """Items in the file, for the progress bar: a count of ``<item>`` tags, in chunks."""
    count, tail = 0, b""
    try:
        with open(path, "rb") as file:
            while chunk := file.read(1 << 20):
                data = tail + chunk
                count += data.count(b"<item>")
                tail = data[-5:]
    except OSError:
        return 0
    return count


def _skipped(item: wxr.WxrItem, summary: Summary) -> bool:
    """Whether ``item`` is of a type or status not imported (counted with the reason)."""
    if item.post_type not in TYPES:
        summary.skip(_("type “%(type)s”") % {"type": item.post_type or "?"})
        return True
    if item.status not in STATUSES:
        summary.skip(_("status “%(status)s”") % {"status": item.status or "?"})
        return True
    return False


def wordpress_entry(
    item: wxr.WxrItem,
    authors: dict[str, wxr.WxrAuthor],
    attachments: dict[str, Attachment],
    *,
    options: Options,
) -> Entry:
    """The entry of the post or page ``item``, with the display names of the export's
    ``authors`` and its featured image from ``attachments``. Raises ``ItemError`` for an
    item without id, with too much content, or a post without author when the options
    name none for it. Its checksum is that of the item as read (with the featured
    image's attachment), so it stays the same for the same export."""
    kind = "page" if item.post_type == "page" else "article"
    if not item.post_id:
        if kind == "page":
            raise ItemError(_("the page has no wp:post_id"))
        raise ItemError(_("the post has no wp:post_id"))
    if len(item.content) > MAX_CONTENT:
        raise ItemError(
            _("the content has %(size)s characters, more than the %(limit)s allowed")
            % {"size": f"{len(item.content):,}", "limit": f"{MAX_CONTENT:,}"}
        )
    common = {"label": item.label, "status": item.status, "date": item.date, "old_url": item.link}
    if kind == "page":
        return Entry(
            key=f"page:{item.post_id}",
            kind=kind,
            title=item.title or item.post_name or item.post_id,
            body_html=page_body(item.content),
            slug=item.post_name,
            digest=_checksum(item),
            **common,
        )
    if not item.creator and not options.author:
        raise ItemError(_("the post has no author (dc:creator)"))
    known = authors.get(item.creator)
    thumbnail = item.meta.get("_thumbnail_id", "")
    featured = attachments.get(thumbnail) if thumbnail else None
    image = None
    if thumbnail:
        # An attachment the file lacks is a picture missing, as one that cannot be had.
        image = Figure(src="", alt="")
        if featured is not None:
            image = Figure(
                src=featured.url, alt=featured.alt, caption=featured.caption, credit=featured.credit
            )
    return Entry(
        key=f"post:{item.post_id}",
        title=item.title,
        body_html=item.content,
        slug=item.post_name,
        lead=item.excerpt,
        categories=item.categories,
        tags=item.tags,
        authors=[(item.creator, (known.display_name if known else "") or item.creator)]
        if item.creator
        else [],
        image=image,
        digest=_checksum(item, featured),
        **common,
    )


class WordPressImages:
    """The Wagtail images of an export's pictures (``content.ImageResolver``), made once
    per file and remembered under ``media:<path below the uploads folder>`` (or
    ``url:<digest>`` for a picture elsewhere): from the uploads folder (``--media DIR``)
    when it is there, else downloaded when the options say so; None when neither, or when
    it is no picture. A featured image's attachment gives its path and title."""

    def __init__(self, *, source: str, options: Options, found: dict[str, Attachment]):
        self.source = source
        self.options = options
        self.model = get_image_model()
        self.by_url = {attachment.url: attachment for attachment in found.values()}

    def __call__(self, figure: Figure):
        attachment = self.by_url.get(figure.src)
        if attachment is not None:
            return self.picture(
                figure.src,
                title=attachment.title or attachment.alt,
                alt=attachment.alt,
                relative=attachment.path or None,
            )
        return self.picture(figure.src, title=figure.alt, alt=figure.alt)

    def picture(self, src: str, *, title: str, alt: str, relative: str | None = None):
        relative = relative or _upload_path(src)
        key = f"media:{relative}" if relative else f"url:{_digest(src)}"
        record, image = ImportedItem.objects.find(source=self.source, key=key, model=self.model)
        if image is not None:
            return image
        name = Path(unquote(urlsplit(src).path)).name or "bild"
        data = self.local_file(relative) if relative else None
        if data is None and self.options.download:
            data = download(src)
        if not data:
            return None
        try:
            image = factories.ImageFactory(
                title=(title or Path(name).stem)[:255],
                description=alt,
                file=ContentFile(data, name=name),
            )
        except (UnidentifiedImageError, OSError):
            return None
        ImportedItem.objects.remember(source=self.source, key=key, obj=image, record=record)
        return image

    def local_file(self, relative: str) -> bytes | None:
        """The bytes of ``relative`` in the uploads folder; None without the folder, outside
        it or when there is no such file."""
        if self.options.media is None:
            return None
        root = self.options.media.resolve()
        file = (root / relative).resolve()
        if not file.is_relative_to(root) or not file.is_file():
            return None
        try:
            return file.read_bytes()
        except OSError:
            return None


def _upload_path(src: str) -> str | None:
    """``2024/03/bild.jpg`` for an address or path in WordPress's uploads folder."""
    path = unquote(urlsplit(src).path)
    if UPLOADS in path:
        return path.split(UPLOADS, 1)[1].lstrip("/") or None
    return None


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _checksum(item: wxr.WxrItem, featured: Attachment | None = None) -> str:
    data = json.dumps(
        [
            item.title,
            item.content,
            item.excerpt,
            item.status,
            item.post_name,
            item.creator,
            item.date.isoformat() if item.date else "",
            item.categories,
            item.tags,
            *([featured.as_key()] if featured else []),
        ],
        ensure_ascii=False,
    )
    return hashlib.sha256(data.encode()).hexdigest()
