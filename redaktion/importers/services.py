"""Importing a WordPress export into the newsroom.

``wordpress_import`` reads the export as a stream (``wxr.read_wxr``) and writes each post in
a transaction of its own, together with the ``ImportedItem`` rows that remember what it
made: an interrupted run leaves no half article behind, and the next run of the same file
finds what exists and neither duplicates nor loses anything. A post whose source did not
change since (same checksum) is left alone, so editors' later edits survive a re-run;
a changed one gets a new revision. Pages are made as the news factories make them
(``add_child``, a revision, then publish or schedule), so the publish pipeline sees an
editor's publication.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from PIL import UnidentifiedImageError
from wagtail.images import get_image_model

from redaktion.news import factories
from redaktion.news.models import (
    ArticleAuthor,
    ArticlePage,
    Author,
    RessortPage,
    StandardPage,
    Topic,
)
from redaktion.notifications.models import Announcement

from . import bulk, placement, wxr
from .attachments import Attachment, attachments_read, download
from .content import Figure, body_blocks
from .models import ImportedItem
from .pages import PageError, page_body, standard_page_import
from .placement import ItemError

LEAD_LENGTH = 400
UPLOADS = "/wp-content/uploads/"
# A post's content beyond this many characters is refused: no article is that long, and
# turning it into blocks would take minutes and hundreds of megabytes.
MAX_CONTENT = 2_000_000
# From this many items on, an import runs in bulk (``importers.bulk``) unless told otherwise.
BULK_FROM = 100


class MappingError(Exception):
    """The mapping file cannot be used; the message names the file and the line."""


@dataclass
class Summary:
    """What an import did; ``problems`` names each item left out (file, item, reason)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)
    images_missing: int = 0
    problems: list[str] = field(default_factory=list)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


@dataclass
class Options:
    fallback_ressort: str = ""
    category_map: dict[str, str] = field(default_factory=dict)
    media: Path | None = None
    # None: in bulk when the file holds ``BULK_FROM`` items or more.
    bulk: bool | None = None
    # Fetch pictures not found in ``media`` from their address.
    download: bool = False
    # The author (name or slug of an ``Author``, made when there is none) of posts that
    # name none.
    author: str = ""


Progress = Callable[[str, int, int], None]


def category_map_read(path: Path) -> dict[str, str]:
    """A mapping file: one ``category;ressort`` per line (WordPress category slug or name,
    Ressort slug or title); ``,`` works as separator too. Raises ``MappingError`` naming
    the line that is not a pair."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise MappingError(
            _("%(file)s: cannot be read (%(reason)s).") % {"file": path, "reason": error}
        ) from error
    delimiter = "," if text.count(",") > text.count(";") else ";"
    mapping = {}
    for number, row in enumerate(csv.reader(text.splitlines(), delimiter=delimiter), 1):
        if not row or not "".join(row).strip() or row[0].startswith("#"):
            continue
        if len(row) != 2 or not row[0].strip() or not row[1].strip():
            raise MappingError(
                _("%(file)s, line %(line)d: expected “category;Ressort”.")
                % {"file": path, "line": number}
            )
        mapping[row[0].strip().casefold()] = row[1].strip()
    return mapping


def wordpress_import(
    *, path: Path, options: Options, progress: Progress | None = None, dry_run: bool = False
) -> Summary:
    """Import the posts of the WXR at ``path``; returns what happened to each item.

    Posts become articles: ``publish`` live since their original date, ``future``
    scheduled for it, ``draft`` and ``pending`` drafts; other statuses and types are
    skipped with the reason counted. A broken post is recorded in ``failed`` with its title
    and id, and the rest continues. Raises ``wxr.WxrError`` when the file is unusable
    (posts before a truncation stay imported, and a re-run completes them).

    In bulk (``options.bulk``, by default from ``BULK_FROM`` items on) the search index,
    the related lists and the page caches are not updated per article: one ``import`` event
    rebuilds and purges them in the worker once the run ends, interrupted or not.

    ``dry_run``: every item is read and checked as the import would (its Ressort, author
    and content) and counted as it would be created, updated or left unchanged or fail;
    nothing is written and no picture is looked for."""
    summary = Summary()
    report = progress or (lambda stage, done, total: None)
    importer = None
    authors: dict[str, wxr.WxrAuthor] = {}
    done = 0
    total = _count_items(path)
    in_bulk = not dry_run and (options.bulk if options.bulk is not None else total >= BULK_FROM)
    with bulk.deferred() if in_bulk else nullcontext():
        try:
            for record in wxr.read_wxr(path):
                if isinstance(record, wxr.Site):
                    importer = _Importer(
                        site=record, options=options, authors=authors, summary=summary
                    )
                    importer.in_bulk = in_bulk
                    importer.attachments = attachments_read(path)
                elif isinstance(record, wxr.WxrAuthor):
                    authors[record.login] = record
                elif dry_run:
                    importer.dry(record)
                else:
                    importer.item(record)
                    done += 1
                    report(_("Import"), done, total)
        finally:
            if in_bulk and importer is not None:
                importer.facts.flush()
                if summary.created or summary.updated:
                    bulk.rebuild_record(
                        source=importer.source, articles=summary.created + summary.updated
                    )
    return summary


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


class _Importer:
    def __init__(self, *, site, options, authors, summary):
        self.source = site.base_url or "wordpress"
        self.options = options
        self.authors = authors
        self.summary = summary
        self.ressorts = list(RessortPage.objects.all())
        self.image_model = get_image_model()
        self.in_bulk = False
        self.facts = bulk.Facts()
        self.fresh: int | None = None  # the article the item in progress created in bulk
        self.attachments: dict[str, Attachment] = {}
        # Slugs under each Ressort and the old paths that have a redirect, read once.
        self.slugs: dict[int, set[str]] = {}
        self.redirects: set[str] | None = None
        # Authors and topics by key, as committed; ``made`` holds those of the item in
        # progress until its transaction commits (a rolled-back one must not be reused).
        self.known: dict[str, object] = {}
        self.made: dict[str, object] = {}

    def skipped(self, item: wxr.WxrItem) -> bool:
        """Whether ``item`` is of a type or status not imported (counted with the reason)."""
        if item.post_type not in ("post", "page"):
            self.summary.skip(_("type “%(type)s”") % {"type": item.post_type or "?"})
            return True
        if item.status not in ("publish", "future", "draft", "pending"):
            self.summary.skip(_("status “%(status)s”") % {"status": item.status or "?"})
            return True
        return False

    def dry(self, item: wxr.WxrItem) -> None:
        """Counts what importing ``item`` would do, writing nothing."""
        if self.skipped(item):
            return
        try:
            outcome = self.outcome(item)
        except (ItemError, PageError) as error:
            self.summary.failed.append(f"{item.label}: {error}")
            return
        setattr(self.summary, outcome, getattr(self.summary, outcome) + 1)

    def outcome(self, item: wxr.WxrItem) -> str:
        if item.post_type == "page":
            if not item.post_id:
                raise PageError(_("the page has no wp:post_id"))
            key, checksum, model = f"page:{item.post_id}", _checksum(item), StandardPage
        else:
            featured = self.attachments.get(item.meta.get("_thumbnail_id", ""))
            key, checksum, model = f"post:{item.post_id}", _checksum(item, featured), ArticlePage
        record = ImportedItem.objects.filter(source=self.source, key=key).first()
        exists = record is not None and model.objects.filter(pk=record.object_id).exists()
        if exists and record.checksum == checksum:
            return "unchanged"
        if item.post_type == "page":
            if not page_body(item.content):
                raise PageError(_("the page has no content"))
        else:
            self.post_check(item)
            self.ressort_for(item)
            body, _missing = body_blocks(item.content, resolve_image=lambda figure: figure)
            if not body:
                raise ItemError(_("the post has no content"))
            if not item.creator and not self.options.author:
                raise ItemError(_("the post has no author (dc:creator)"))
        return "updated" if exists else "created"

    def item(self, item: wxr.WxrItem) -> None:
        if self.skipped(item):
            return
        self.made = {}
        self.fresh = None
        try:
            with transaction.atomic():
                if item.post_type == "page":
                    outcome = standard_page_import(self, item, _checksum(item))
                else:
                    outcome = self.post(item)
        except Exception as error:  # noqa: BLE001 (one broken post must not stop the rest)
            self.summary.failed.append(f"{item.label}: {error}")
            return
        self.known.update(self.made)
        if self.fresh is not None:
            self.facts.add(self.fresh)
        setattr(self.summary, outcome, getattr(self.summary, outcome) + 1)

    # -- posts -----------------------------------------------------------------------------

    def post_check(self, item: wxr.WxrItem) -> None:
        if not item.post_id:
            raise ItemError(_("the post has no wp:post_id"))
        if len(item.content) > MAX_CONTENT:
            raise ItemError(
                _("the content has %(size)s characters, more than the %(limit)s allowed")
                % {"size": f"{len(item.content):,}", "limit": f"{MAX_CONTENT:,}"}
            )

    def post(self, item: wxr.WxrItem) -> str:
        self.post_check(item)
        key = f"post:{item.post_id}"
        featured = self.attachments.get(item.meta.get("_thumbnail_id", ""))
        checksum = _checksum(item, featured)
        record, page = ImportedItem.objects.find(
            source=self.source, key=key, model=ArticlePage, lock=True
        )
        if page is not None and record.checksum == checksum:
            return "unchanged"
        ressort = self.ressort_for(item)
        missing_before = self.summary.images_missing
        body, missing = body_blocks(item.content, resolve_image=self.image_for)
        self.summary.images_missing = missing_before + missing
        if not body:
            raise ItemError(_("the post has no content"))
        lead = item.excerpt or _first_text(body)
        fields = {
            "title": item.title or Truncator(lead).words(8),
            "lead": Truncator(strip_tags(lead)).chars(LEAD_LENGTH),
            "body": body,
            **self.lead_image_for(item, featured),
        }
        if item.creator:
            authors = [self.author_for(item.creator)]
        elif self.options.author:
            authors = [self.fallback_author()]
        else:
            raise ItemError(_("the post has no author (dc:creator)"))
        topics = [self.topic_for(nicename, name) for nicename, name in item.tags]
        created = page is None
        if created:
            page = ArticlePage(slug=self.free_slug(ressort, item), live=False, **fields)
            page.article_authors = [ArticleAuthor(author=author) for author in authors]
            page.topics.add(*topics)
            if self.in_bulk and item.status == "publish":
                bulk.article_create_published(
                    parent=ressort, page=page, published_at=item.date or timezone.now()
                )
                self.fresh = page.pk
                Announcement.objects.create(article_id=page.pk)
            else:
                ressort.add_child(instance=page)
                self.store(page, item, created=created)
        else:
            for name, value in fields.items():
                setattr(page, name, value)
            page.article_authors = [ArticleAuthor(author=author) for author in authors]
            page.topics.set(topics)
            self.store(page, item, created=created)
        ImportedItem.objects.remember(
            source=self.source, key=key, obj=page, checksum=checksum, record=record
        )
        if item.status == "publish":
            self.redirect(item.link, page)
        return "created" if created else "updated"

    def store(self, page: ArticlePage, item: wxr.WxrItem, *, created: bool) -> None:
        placement.revision_store(page, status=item.status, date=item.date, created=created)

    def redirect(self, link: str, page) -> None:
        if self.redirects is None:
            self.redirects = placement.redirect_paths()
        placement.redirect_old_address(link, page, known=self.redirects)

    def free_slug(self, ressort: RessortPage, item: wxr.WxrItem) -> str:
        """The post's slug, or the first of ``slug-2``, ``slug-3``… that no page under
        ``ressort`` has. The Ressort's slugs are read once per run and kept up to date
        with those this run gives out."""
        base = (
            slugify(unquote(item.post_name)) or slugify(item.title) or f"beitrag-{item.post_id}"
        )[:70]
        taken = self.slugs.get(ressort.pk)
        if taken is None:
            taken = set(ressort.get_children().values_list("slug", flat=True))
            self.slugs[ressort.pk] = taken
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add(slug)
        return slug

    # -- Ressort, authors, topics ----------------------------------------------------------

    def ressort_for(self, item: wxr.WxrItem) -> RessortPage:
        return placement.ressort_for(item.categories, options=self.options, ressorts=self.ressorts)

    def author_for(self, login: str) -> Author:
        """The ``Author`` imported for the WordPress ``login`` (kept as the key), made once
        with the export's display name."""
        cached = self.known.get(f"author:{login}") or self.made.get(f"author:{login}")
        if cached is not None:
            return cached
        self.made[f"author:{login}"] = author = self._author(login)
        return author

    def fallback_author(self) -> Author:
        """The ``Author`` named (or with the slug) ``options.author``; made once, as an
        author of the export with that login, when there is none."""
        name = self.options.author
        cached = self.known.get("fallback-author") or self.made.get("fallback-author")
        if cached is None:
            cached = Author.objects.filter(
                Q(name__iexact=name) | Q(slug=slugify(name))
            ).first() or self.author_for(name)
            self.made["fallback-author"] = cached
        return cached

    def _author(self, login: str) -> Author:
        known = self.authors.get(login)
        name = (known.display_name if known else "") or login
        return placement.author_import(source=self.source, key=login, name=name)

    def topic_for(self, nicename: str, name: str) -> Topic:
        slug = slugify(unquote(nicename)) or slugify(name)
        key = f"topic:{slug}:{name}"
        cached = self.known.get(key) or self.made.get(key)
        if cached is None:
            cached = (
                Topic.objects.filter(slug=slug).first()
                or Topic.objects.filter(name=name).first()
                or Topic.objects.create(name=name or slug, slug=slug)
            )
            self.made[key] = cached
        return cached

    # -- images ----------------------------------------------------------------------------

    def lead_image_for(self, item: wxr.WxrItem, featured: Attachment | None) -> dict:
        """The lead image fields for the post's featured image (``_thumbnail_id``), with the
        attachment's caption and credit; none, and one more picture missing, when the
        attachment is not in the export or its picture cannot be had."""
        if not item.meta.get("_thumbnail_id"):
            return {}
        image = None
        if featured is not None:
            image = self.picture(
                featured.url,
                title=featured.title or featured.alt,
                alt=featured.alt,
                relative=featured.path or None,
            )
        if image is None:
            self.summary.images_missing += 1
            return {"lead_image": None, "lead_image_caption": "", "lead_image_credit": ""}
        return {
            "lead_image": image,
            "lead_image_caption": featured.caption,
            "lead_image_credit": featured.credit,
        }

    def image_for(self, figure: Figure):
        """The Wagtail image for a picture in the content (``content.ImageResolver``)."""
        return self.picture(figure.src, title=figure.alt, alt=figure.alt)

    def picture(self, src: str, *, title: str, alt: str, relative: str | None = None):
        """The Wagtail image for the picture at ``src``, made once per file: from the
        uploads folder (``--media DIR``) when it is there, else downloaded when the options
        say so. None when it is neither, or is not a picture."""
        relative = relative or _upload_path(src)
        key = f"media:{relative}" if relative else f"url:{_digest(src)}"
        record, image = ImportedItem.objects.find(
            source=self.source, key=key, model=self.image_model
        )
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


def _first_text(body) -> str:
    for block_type, value in body:
        if block_type == "paragraph":
            return strip_tags(value.source)
    return ""


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
