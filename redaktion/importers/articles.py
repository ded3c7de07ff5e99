"""Writing one imported item, whatever its source: an ``Entry`` becomes an article or a page.

The WordPress, Ghost and HTML imports read their sources into ``Entry`` values and hand
them to an ``EntryWriter``, which writes each in a transaction of its own with the
``ImportedItem`` row that remembers it (source and the item's key there): a re-run of an
unchanged item (same checksum) leaves it and editors' later edits alone, a changed one gets
a new revision, an interrupted run never leaves half an item. Articles are published with
their original date, scheduled for theirs or left as drafts; a published item's old address
answers with a 301. Markup goes through ``content.body_blocks`` (Wagtail's whitelist).

A writer reads what a run needs again and again once and keeps it: the authors and topics
it found or made (those of an item whose transaction rolled back are forgotten), the slugs
under each parent, the old paths that have a redirect. In bulk (``in_bulk``) a new
published article goes live in one save (``bulk.article_create_published``), its facts are
stored a batch at a time (``facts``), and the run's caller records the one rebuild.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from urllib.parse import unquote

from bs4 import BeautifulSoup
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter

from redaktion.news.models import (
    ArticleAuthor,
    ArticlePage,
    Author,
    HomePage,
    RessortPage,
    StandardPage,
    Topic,
)
from redaktion.notifications.models import Announcement

from . import bulk, placement
from .content import Figure, ImageResolver, body_blocks
from .models import ImportedItem
from .services import ItemError, Options, Summary

LEAD_LENGTH = 400
KICKER_LENGTH = 80
CAPTION_LENGTH = 300
STATUSES = ("publish", "future", "draft")
_page_sanitiser = EditorHTMLConverter(features=StandardPage._meta.get_field("body").features)


@dataclass
class Entry:
    """One item of a source, read and checked. ``key`` identifies it in the source
    (``post:<id>``); ``categories`` are Ressort candidates, the first the primary one;
    ``authors`` are ``(key, display name)``; ``kind`` is ``article`` or ``page``."""

    key: str
    label: str
    title: str
    body_html: str
    kind: str = "article"
    status: str = "publish"
    slug: str = ""
    kicker: str = ""
    lead: str = ""
    date: datetime | None = None
    updated: datetime | None = None
    categories: list[tuple[str, str]] = field(default_factory=list)
    tags: list[tuple[str, str]] = field(default_factory=list)
    authors: list[tuple[str, str]] = field(default_factory=list)
    image: Figure | None = None
    old_url: str = ""
    # The source's own checksum of the item, where the reading keeps one of its own.
    digest: str = ""

    def checksum(self) -> str:
        if self.digest:
            return self.digest
        data = json.dumps(asdict(self), ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(data.encode()).hexdigest()


class EntryWriter:
    """Writes entries of one ``source`` and counts what happened in ``summary``."""

    def __init__(self, *, source: str, options: Options, summary: Summary, images: ImageResolver):
        self.source = source
        self.options = options
        self.summary = summary
        self.images = images
        self.ressorts = list(RessortPage.objects.all())
        self.in_bulk = False
        self.facts = bulk.Facts()
        self.fresh: int | None = None  # the article the entry in progress made in bulk
        # Slugs under each parent and the old paths that have a redirect, read once.
        self.slugs: dict[int, set[str]] = {}
        self.redirects: set[str] | None = None
        # Authors and topics by key, as committed; ``made`` holds those of the entry in
        # progress until its transaction commits (a rolled-back one must not be reused).
        self.known: dict[str, object] = {}
        self.made: dict[str, object] = {}

    def write(self, entry: Entry) -> None:
        """Writes ``entry`` in a transaction of its own; a failure is recorded with the
        entry's label and reason, and the next entry goes on."""
        self.made, self.fresh = {}, None
        try:
            with transaction.atomic():
                outcome = self.page(entry) if entry.kind == "page" else self.article(entry)
        except Exception as error:  # noqa: BLE001 (one broken item must not stop the rest)
            self.summary.failed.append(f"{entry.label}: {error}")
            return
        self.known.update(self.made)
        if self.fresh is not None:
            self.facts.add(self.fresh)
        setattr(self.summary, outcome, getattr(self.summary, outcome) + 1)

    def dry(self, entry: Entry) -> None:
        """Counts what writing ``entry`` would do, checking it as writing would (its
        Ressort, content and author) and writing nothing; a failure is recorded as
        ``write`` records it."""
        try:
            outcome = self.outcome(entry)
        except ItemError as error:
            self.summary.failed.append(f"{entry.label}: {error}")
            return
        setattr(self.summary, outcome, getattr(self.summary, outcome) + 1)

    def outcome(self, entry: Entry) -> str:
        model = StandardPage if entry.kind == "page" else ArticlePage
        record = ImportedItem.objects.filter(source=self.source, key=entry.key).first()
        exists = record is not None and model.objects.filter(pk=record.object_id).exists()
        if exists and record.checksum == entry.checksum():
            return "unchanged"
        if entry.kind == "page":
            if not _plain(_page_sanitiser.to_database_format(entry.body_html or "")):
                raise ItemError(_("the page has no content"))
        else:
            self.ressort_for(entry)
            body, _missing = body_blocks(entry.body_html, resolve_image=lambda figure: figure)
            if not body:
                raise ItemError(_("the post has no content"))
            if not entry.authors and not self.options.author:
                raise ItemError(_("the post has no author"))
        return "updated" if exists else "created"

    def existing(self, entry: Entry, model):
        return ImportedItem.objects.find(source=self.source, key=entry.key, model=model, lock=True)

    def remember(self, entry: Entry, page, checksum: str, record) -> None:
        ImportedItem.objects.remember(
            source=self.source, key=entry.key, obj=page, checksum=checksum, record=record
        )

    # -- articles --------------------------------------------------------------------------

    def article(self, entry: Entry) -> str:
        checksum = entry.checksum()
        record, page = self.existing(entry, ArticlePage)
        if page is not None and record.checksum == checksum:
            return "unchanged"
        ressort = self.ressort_for(entry)
        missing_before = self.summary.images_missing
        body, missing = body_blocks(entry.body_html, resolve_image=self.images)
        self.summary.images_missing = missing_before + missing
        if not body:
            raise ItemError(_("the post has no content"))
        given = _plain(entry.lead)
        lead = given or _first_text(body)
        if given and body[0][0] == "paragraph" and _same(body[0][1].source, lead):
            body = body[1:] or body
        if entry.authors:
            authors = [self.author_for(key, name) for key, name in entry.authors]
        elif self.options.author:
            authors = [self.fallback_author()]
        else:
            raise ItemError(_("the post has no author"))
        fields = {
            "title": entry.title or Truncator(lead).words(8),
            "kicker": Truncator(entry.kicker).chars(KICKER_LENGTH),
            "lead": Truncator(lead).chars(LEAD_LENGTH),
            "body": body,
            **self.lead_image(entry),
        }
        if entry.updated and entry.date and (entry.updated - entry.date).total_seconds() > 60:
            fields["updated_at"] = entry.updated
        topics = [self.topic_for(slug, name) for slug, name in entry.tags]
        created = page is None
        if created:
            page = ArticlePage(slug=self.free_slug(ressort, entry), live=False, **fields)
        else:
            for name, value in fields.items():
                setattr(page, name, value)
        page.article_authors = ArticleAuthor.bylines(dict.fromkeys(authors))
        page.topics.set(topics)
        if created and self.in_bulk and entry.status == "publish":
            bulk.article_create_published(
                parent=ressort, page=page, published_at=entry.date or timezone.now()
            )
            self.fresh = page.pk
            Announcement.objects.create(article_id=page.pk)
        else:
            if created:
                ressort.add_child(instance=page)
            self.store(page, entry, created=created)
        self.remember(entry, page, checksum, record)
        if entry.status == "publish":
            self.redirect(entry.old_url, page)
        return "created" if created else "updated"

    def lead_image(self, entry: Entry) -> dict:
        """The lead image fields for the entry's picture; none, and one more picture
        missing, when it has one that cannot be had."""
        none = {"lead_image": None, "lead_image_caption": "", "lead_image_credit": ""}
        if entry.image is None:
            return none
        image = self.images(entry.image) if entry.image.src else None
        if image is None:
            self.summary.images_missing += 1
            return none
        return {
            "lead_image": image,
            "lead_image_caption": Truncator(entry.image.caption).chars(CAPTION_LENGTH),
            "lead_image_credit": entry.image.credit,
        }

    def store(self, page, entry: Entry, *, created: bool) -> None:
        placement.revision_store(page, status=entry.status, date=entry.date, created=created)

    def redirect(self, link: str, page) -> None:
        if self.redirects is None:
            self.redirects = placement.redirect_paths()
        placement.redirect_old_address(link, page, known=self.redirects)

    def free_slug(self, parent, entry: Entry) -> str:
        """The entry's slug, or the first of ``slug-2``, ``slug-3``… that no page under
        ``parent`` has. The parent's slugs are read once per run and kept up to date with
        those this run gives out."""
        number = entry.key.rsplit(":", 1)[-1][-8:]
        base = (
            german_slug(unquote(entry.slug)) or german_slug(entry.title) or f"beitrag-{number}"
        )[:70]
        taken = self.slugs.get(parent.pk)
        if taken is None:
            taken = set(parent.get_children().values_list("slug", flat=True))
            self.slugs[parent.pk] = taken
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add(slug)
        return slug

    # -- pages -----------------------------------------------------------------------------

    def page(self, entry: Entry) -> str:
        """A page of the source becomes a ``StandardPage`` under the home page."""
        checksum = entry.checksum()
        record, page = self.existing(entry, StandardPage)
        if page is not None and record.checksum == checksum:
            return "unchanged"
        body = _page_sanitiser.to_database_format(entry.body_html or "").strip()
        if not _plain(body):
            raise ItemError(_("the page has no content"))
        created = page is None
        if created:
            home = HomePage.objects.first()
            page = StandardPage(
                title=entry.title, slug=self.free_slug(home, entry), body=body, live=False
            )
            home.add_child(instance=page)
        else:
            page.title, page.body = entry.title, body
        self.store(page, entry, created=created)
        self.remember(entry, page, checksum, record)
        if entry.status == "publish":
            self.redirect(entry.old_url, page)
        return "created" if created else "updated"

    # -- Ressort, authors, topics ----------------------------------------------------------

    def ressort_for(self, entry: Entry) -> RessortPage:
        return placement.ressort_for(entry.categories, options=self.options, ressorts=self.ressorts)

    def cached(self, key: str, make):
        """What this run found or made under ``key``, else ``make()``, kept from then on."""
        found = self.known.get(key) or self.made.get(key)
        if found is None:
            self.made[key] = found = make()
        return found

    def author_for(self, key: str, name: str) -> Author:
        """The ``Author`` imported for the source's author ``key``, made once."""
        return self.cached(
            f"author:{key}",
            lambda: placement.author_import(source=self.source, key=key, name=name),
        )

    def fallback_author(self) -> Author:
        """The ``Author`` named (or with the slug) ``options.author``; made once, as an
        author of the source with that key, when there is none."""
        name = self.options.author
        return self.cached(
            "fallback-author",
            lambda: (
                Author.objects.filter(Q(name__iexact=name) | Q(slug=slugify(name))).first()
                or self.author_for(name, name)
            ),
        )

    def topic_for(self, slug: str, name: str) -> Topic:
        slug = slugify(unquote(slug)) or slugify(name)
        return self.cached(
            f"topic:{slug}:{name}",
            lambda: (
                Topic.objects.filter(slug=slug).first()
                or Topic.objects.filter(name=name).first()
                or Topic.objects.create(name=name or slug, slug=slug)
            ),
        )


UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def german_slug(text: str) -> str:
    """A slug as a German reader writes it without umlauts: "für" → "fuer", not "fur"."""
    return slugify((text or "").translate(UMLAUTS))


def dry_outcome(source: str, entry: Entry) -> str:
    """What writing ``entry`` would do (created, updated or unchanged), writing nothing."""
    record = ImportedItem.objects.filter(source=source, key=entry.key).first()
    if record is None:
        return "created"
    return "unchanged" if record.checksum == entry.checksum() else "updated"


def _plain(html: str) -> str:
    """The text of ``html``: a line break or a block boundary is a space, inline markup
    is not (so "<b>Stücke</b>." stays "Stücke.")."""
    soup = BeautifulSoup(html or "", "html.parser")
    for tag in soup.find_all(["br", "p", "li", "h2", "h3", "h4", "blockquote", "div"]):
        tag.insert_after(" ")
    return " ".join(soup.get_text().split())


def _same(html: str, text: str) -> bool:
    return _plain(html).casefold() == text.casefold()


def _first_text(body) -> str:
    for block_type, value in body:
        if block_type == "paragraph":
            return _plain(value.source)
    return ""
