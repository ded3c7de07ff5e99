"""Factories for the news app, shared by the tests and the ``redaktion demo`` command.

The seed is fixed (``SEED``): the same sequence of factory calls gives the same names,
texts and pictures, in the tests and in the demo alike. Pages are created the way an editor
creates them in Wagtail: ``add_child`` under the parent, a saved revision, then published.
"""

import hashlib
from datetime import datetime

import factory
import factory.random
import wagtail_factories
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from factory.django import DjangoModelFactory
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, PageLogEntry, Revision
from wagtail.rich_text import RichText

from redaktion.demo import artwork
from redaktion.news.live import LiveTickerEntry, LiveTickerPage
from redaktion.news.models import (
    ArticleAuthor,
    ArticlePage,
    Author,
    HomePage,
    RessortPage,
    StandardPage,
    Topic,
)

SEED = 20240917
LOCALE = "de_DE"


def reseed(seed: int = SEED) -> None:
    """Reset factory_boy's and Faker's random state, so what follows repeats exactly."""
    factory.random.reseed_random(seed)


reseed()


def home_page() -> HomePage:
    return HomePage.objects.get(depth=2)


def root_collection() -> Collection:
    return Collection.get_first_root_node()


class ImageFactory(wagtail_factories.ImageFactory):
    """A real JPEG (or PNG) drawn by Pillow: a lead image, a portrait or a logo.

    ``kind`` picks the drawing, ``motif`` the Ressort colours; ``seed`` varies the picture.
    """

    class Meta:
        model = get_image_model()

    class Params:
        kind = "lead"
        motif = "default"
        seed = factory.Sequence(int)
        width = 320
        height = 180
        short_name = "RN"

    title = factory.Sequence(lambda n: f"Bild {n}")
    description = factory.LazyAttribute(lambda o: _image_description(o))
    collection = factory.LazyFunction(root_collection)
    file = factory.LazyAttribute(lambda o: _image_file(o))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        upload = kwargs["file"]
        data = upload.read()
        upload.seek(0)
        # Known dimensions spare Django from decoding the picture again to find them.
        with PILImage.open(upload) as picture:
            kwargs.setdefault("width", picture.width)
            kwargs.setdefault("height", picture.height)
        upload.seek(0)
        image = model_class(*args, **kwargs)
        image.file_size = len(data)
        image.file_hash = hashlib.sha1(data, usedforsecurity=False).hexdigest()
        image.save()
        return image


def _image_description(o) -> str:
    match o.kind:
        case "portrait":
            return f"Initialen von {o.title}"
        case "logo":
            return f"Logo von {o.title}"
        case _:
            return artwork.DESCRIPTIONS.get(o.motif, artwork.DESCRIPTIONS["default"])


def _image_file(o) -> ContentFile:
    match o.kind:
        case "portrait":
            picture = artwork.portrait(name=o.title, motif=o.motif, size=o.width)
            data, ext = artwork.encode(picture, fmt="PNG"), "png"
        case "logo":
            picture = artwork.logo(name=o.title, short_name=o.short_name, height=o.height)
            data, ext = artwork.encode(picture, fmt="PNG"), "png"
        case _:
            picture = artwork.lead_image(motif=o.motif, seed=o.seed, width=o.width, height=o.height)
            data, ext = artwork.encode(picture, fmt="JPEG"), "jpg"
    name = f"{slugify(o.title)[:60] or 'bild'}.{ext}"
    return ContentFile(data, name=name)


class AuthorFactory(DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Faker("name", locale=LOCALE)
    slug = factory.LazyAttributeSequence(lambda o, n: f"{slugify(o.name)[:100]}-{n}")
    role = "Redakteurin"
    bio = factory.Faker("sentence", nb_words=14, locale=LOCALE)
    is_guest = False
    portrait = None

    class Params:
        with_portrait = factory.Trait(
            portrait=factory.SubFactory(
                ImageFactory,
                kind="portrait",
                title=factory.SelfAttribute("..name"),
                width=200,
                height=200,
            )
        )


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    description = factory.Faker("sentence", nb_words=12, locale=LOCALE)


class PublishedPageFactory(wagtail_factories.PageFactory):
    """Creates a page as Wagtail does: ``add_child``, a revision, then publish.

    ``first_published_at`` (default: now) becomes the publication time of the page, of its
    revision and of its log entries, so backdated pages look backdated everywhere.
    ``editor`` is the user the revision and the log are attributed to (optional).

    The page returned is read back after publishing, as the next request would see it
    (``live_revision``, ``latest_revision`` and the publication times set), so an edit a
    test makes on it behaves as an editor's edit of the live page.

    ``publish=False`` stops after ``add_child``: a live page in the tree with the same
    fields, but without a revision, log entries or publish signals, for tests that read
    pages rather than publish them (a third of the queries). Nothing that publishing does
    (search entry, "Mehr zum Thema", alerts) happens for such a page. With ``live=False``
    as well it is a draft that was never published.
    """

    class Meta:
        abstract = True

    parent = factory.LazyFunction(home_page)
    title = factory.Sequence(lambda n: f"Seite {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title)[:80])
    first_published_at = factory.LazyFunction(timezone.now)

    # Keyword arguments that are not model fields but relations set up before the first save.
    _relations: tuple[str, ...] = ()

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        parent = kwargs.pop("parent")
        editor = kwargs.pop("editor", None)
        publish = kwargs.pop("publish", True)
        last_published_at = kwargs.pop("last_published_at", None)
        relations = {name: kwargs.pop(name) for name in cls._relations}
        if publish and kwargs.get("live") is False:
            raise ValueError("A published page is live: pass publish=False for a draft.")
        if not publish and kwargs.setdefault("live", True):
            kwargs.setdefault(
                "last_published_at", last_published_at or kwargs["first_published_at"]
            )
        elif not publish:
            kwargs["first_published_at"] = None
        page = model_class(*args, **kwargs)
        cls._attach(page, **relations)
        if not publish:
            parent.add_child(instance=page)
            return page
        parent.add_child(instance=page)
        # add_child() has just validated the page; the revision holds the same content.
        revision = page.save_revision(user=editor, log_action=True, clean=False)
        revision.publish(user=editor)
        backdate(page, revision, last_published_at=last_published_at)
        page.refresh_from_db()
        return page

    @classmethod
    def _attach(cls, page, **relations):
        """Set up child relations on the unsaved ``page``; nothing to do by default."""


def backdate(page: Page, revision: Revision, *, last_published_at: datetime | None) -> None:
    """Give ``page``, its revision and its log entries the page's ``first_published_at``."""
    published = page.first_published_at
    last = last_published_at or published
    Page.objects.filter(pk=page.pk).update(
        first_published_at=published,
        last_published_at=last,
        latest_revision_created_at=last,
    )
    Revision.objects.filter(pk=revision.pk).update(created_at=last)
    PageLogEntry.objects.filter(page_id=page.pk).update(timestamp=published)
    page.last_published_at = page.latest_revision_created_at = last


class RessortPageFactory(PublishedPageFactory):
    class Meta:
        model = RessortPage

    title = factory.Sequence(lambda n: f"Ressort {n}")
    description = factory.Faker("sentence", nb_words=14, locale=LOCALE)


class StandardPageFactory(PublishedPageFactory):
    class Meta:
        model = StandardPage

    title = "Impressum"
    body = factory.LazyAttribute(lambda o: "".join(f"<p>{escape(p)}</p>" for p in o.paragraphs))

    class Params:
        paragraphs = factory.Faker("paragraphs", nb=3, locale=LOCALE)


def _paragraph_blocks(paragraphs) -> list[tuple[str, RichText]]:
    return [("paragraph", RichText(f"<p>{escape(p)}</p>")) for p in paragraphs]


class ArticlePageFactory(PublishedPageFactory):
    """A published article with bylines, topics and (``with_image=True``) a lead image.

    ``authors`` and ``topics`` take lists of ``Author`` and ``Topic``; they are attached
    before the first save, so the first revision already carries them. ``body`` takes
    (block type, value) pairs.
    """

    class Meta:
        model = ArticlePage

    class Params:
        headline = factory.Faker("sentence", nb_words=6, locale=LOCALE)
        paragraphs = factory.Faker("paragraphs", nb=5, locale=LOCALE)
        with_image = factory.Trait(
            lead_image=factory.SubFactory(ImageFactory),
            lead_image_caption=factory.Faker("sentence", nb_words=8, locale=LOCALE),
            lead_image_credit="Bildagentur Nord",
        )

    parent = factory.SubFactory(RessortPageFactory)
    title = factory.LazyAttribute(lambda o: o.headline.rstrip("."))
    slug = factory.LazyAttributeSequence(lambda o, n: f"{slugify(o.title)[:60]}-{n}")
    kicker = factory.Faker("word", locale=LOCALE)
    lead = factory.Faker("paragraph", nb_sentences=2, locale=LOCALE)
    body = factory.LazyAttribute(lambda o: _paragraph_blocks(o.paragraphs))
    authors = factory.LazyFunction(lambda: [AuthorFactory()])
    topics = factory.LazyFunction(list)

    _relations = ("authors", "topics")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs.get("updated_at"):
            kwargs.setdefault("last_published_at", kwargs["updated_at"])
        return super()._create(model_class, *args, **kwargs)

    @classmethod
    def _attach(cls, page, *, authors, topics):
        page.article_authors = ArticleAuthor.bylines(authors)
        page.topics.add(*topics)


class LiveTickerPageFactory(ArticlePageFactory):
    """A published Liveticker: an article whose body is its introduction."""

    class Meta:
        model = LiveTickerPage

    class Params:
        headline = factory.Faker("sentence", nb_words=5, locale=LOCALE)
        paragraphs = factory.Faker("paragraphs", nb=1, locale=LOCALE)

    kicker = "Liveticker"


class LiveTickerEntryFactory(DjangoModelFactory):
    """An entry as the desk saves it (no outbox event: tests that need one use
    ``live_services.entry_publish``)."""

    class Meta:
        model = LiveTickerEntry

    ticker = factory.SubFactory(LiveTickerPageFactory)
    posted_at = factory.LazyFunction(timezone.now)
    title = factory.Faker("sentence", nb_words=5, locale=LOCALE)
    body = factory.LazyAttribute(lambda o: _paragraph_blocks(o.paragraphs))

    class Params:
        paragraphs = factory.Faker("paragraphs", nb=1, locale=LOCALE)
