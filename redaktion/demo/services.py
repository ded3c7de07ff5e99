"""Loading the German demo newsroom: Ressorts, authors, topics, articles, legal pages, brand.

The content comes from ``masthead``, ``legal`` and the story files read by ``corpus``; the
objects are made by the same factories the tests use (``redaktion.news.factories``, and
``redaktion.related.factories`` for articles with editor's picks).
"""

import random
import secrets
import time as clock
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext as _
from modelsearch.index import get_indexed_models, insert_or_update_object
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.models import Collection, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from redaktion.core.models import BrandSettings
from redaktion.desk.services import desk_setup
from redaktion.news import factories
from redaktion.news.models import ArticlePage, Author, HomePage, RessortPage
from redaktion.related.factories import ArticleWithPicksFactory

from . import legal, masthead
from .corpus import Story, stories
from .liveticker import demo_ticker

BERLIN = ZoneInfo("Europe/Berlin")
# Stories appear between 7:00 and 19:00 Berlin time, like a newsroom's day shift.
FIRST_MINUTE, LAST_MINUTE = 7 * 60, 19 * 60
ADMIN_USERNAME = "admin"
LEAD_IMAGE_SIZE = (1200, 675)
PORTRAIT_SIZE = 400
# Credits of the generated pictures; the agency is as invented as everything else.
CREDITS = ("Redaktion", "Bildagentur Nord", "Redaktion", "Bildagentur Nord", "Archiv")

Progress = Callable[[str], None]


class DemoError(Exception):
    """The demo cannot be loaded into this site; the message says why and what to do."""


@dataclass
class DemoResult:
    loaded: bool
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass
class AdminAccount:
    username: str
    password: str | None  # only when the account was created just now


def publication_time(story: Story, *, now: datetime) -> datetime:
    """When ``story`` appears: ``days_ago`` days before ``now``, at a time of the day shift.

    The minute comes from a RNG seeded with the story's slug, so it is stable from run to
    run and does not change when other stories are added. A story of today whose minute
    is still ahead moves to yesterday, so nothing is published in the future.
    """
    rng = random.Random(f"{factories.SEED}:{story.slug}")  # noqa: S311 (not for secrets)
    minute = rng.randrange(FIRST_MINUTE, LAST_MINUTE)
    today = now.astimezone(BERLIN).date()
    moment = datetime.combine(
        today - timedelta(days=story.days_ago), time(minute // 60, minute % 60), BERLIN
    )
    if moment > now:
        moment -= timedelta(days=1)
    return moment


def demo_admin_ensure(*, username: str = ADMIN_USERNAME) -> AdminAccount:
    """The demo superuser ``username``: created with a random password if missing.

    An existing account is returned untouched (its password is never changed or shown).
    """
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        return AdminAccount(username=username, password=None)
    password = secrets.token_urlsafe(12)
    user_model.objects.create_superuser(
        username=username,
        email=f"{username}@example.org",
        password=password,
        first_name="Demo",
        last_name="Admin",
    )
    return AdminAccount(username=username, password=password)


def demo_is_loaded() -> bool:
    """Whether the demo newsroom exists. Its collection is made in the same transaction as
    everything else, so it exists only when the whole newsroom does."""
    return Collection.objects.filter(name=masthead.DEMO_COLLECTION).exists()


def demo_load(*, progress: Progress | None = None, now: datetime | None = None) -> DemoResult:
    """Build the whole demo newsroom, once.

    Idempotent: when the demo is already loaded, nothing is written and ``loaded`` is False.
    Atomic: one transaction, so a failed run leaves no half newsroom behind (only picture
    files in the media storage, which the next run does not reuse). Raises ``DemoError``
    when the site already has Ressorts or articles of its own.
    """
    report = progress or (lambda message: None)
    started = clock.monotonic()
    # The checks run inside the transaction, so a second run started meanwhile waits for
    # this one and then finds the demo loaded.
    with transaction.atomic():
        if demo_is_loaded():
            return DemoResult(loaded=False)
        if RessortPage.objects.exists() or ArticlePage.objects.exists():
            raise DemoError(
                _(
                    "This site already has Ressorts or articles; the demo is only loaded "
                    "into an empty site. Start from a new database to see it."
                )
            )
        # Wagtail would update its search and reference index after every save of a page
        # (it publishes a page in three saves) and of each of its bylines, topics and picks:
        # each object is indexed once, when everything is written (the reference index is
        # rebuilt, which on the site the demo starts from is what the demo wrote).
        with disable_reference_index_auto_update(), _search_index_once():
            counts = _build(report=report, now=now or timezone.now())
        call_command("rebuild_references_index", verbosity=0)
    return DemoResult(loaded=True, counts=counts, seconds=clock.monotonic() - started)


@contextmanager
def _search_index_once() -> Iterator[None]:
    """Within, a save of a model in Wagtail's search index is noted instead of indexed, and
    when the block ends each object noted is indexed once, as it is then (what the save's
    own index task does). The signal receivers are swapped for the whole process, so it is
    for a command that writes alone, like the demo."""
    models = [m for m in get_indexed_models() if getattr(m, "search_auto_update", True)]
    saved: dict[tuple[type, object], None] = {}

    def note(sender, instance, raw=False, **kwargs):
        if not raw:
            saved[(sender, instance.pk)] = None

    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
        post_save.connect(note, sender=model, weak=False)
    try:
        yield
    finally:
        for model in models:
            post_save.disconnect(note, sender=model)
            post_save.connect(post_save_signal_handler, sender=model)
    for model, pk in saved:
        instance = model._default_manager.filter(pk=pk).first()
        if instance is not None:  # not deleted again later in the block
            insert_or_update_object(instance)


def _build(*, report: Progress, now: datetime) -> dict[str, int]:
    factories.reseed()
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    if not isinstance(home, HomePage):
        raise DemoError(_("The default site's root page is not a HomePage."))
    editor = get_user_model().objects.filter(username=ADMIN_USERNAME).first()
    collection = Collection.get_first_root_node().add_child(name=masthead.DEMO_COLLECTION)

    ressorts = _ressorts(home, editor=editor, now=now)
    report(_("Ressorts: %(count)d") % {"count": len(ressorts)})
    authors = _authors(collection)
    report(_("Authors: %(count)d") % {"count": len(authors)})
    topics = {spec.slug: factories.TopicFactory(**vars(spec)) for spec in masthead.TOPICS}
    report(_("Topics: %(count)d") % {"count": len(topics)})
    articles = _articles(
        ressorts, authors, topics, collection=collection, editor=editor, now=now, report=report
    )
    ticker = demo_ticker(
        ressort=ressorts["politik"],
        authors=[authors["jana-koehler"], authors["henrike-albers"]],
        topics=[topics["bundeshaushalt"], topics["schuldenbremse"]],
        day=timezone.localtime(now - timedelta(days=1), BERLIN).date(),
        editor=editor,
        collection=collection,
    )
    report(_("Live ticker: %(count)d entries") % {"count": ticker.entries.count()})
    pages = _legal_pages(home, editor=editor, now=now)
    report(_("Pages: Impressum, Datenschutz"))

    home.lead_story = articles[masthead.LEAD_STORY]
    home.save_revision(user=editor).publish(user=editor)
    _brand(site, collection=collection, impressum=pages[0], privacy=pages[1])
    _site_address(site)
    # Ressorts made in code do not pass through the admin hooks that give each one its
    # "Autor: <Ressort>" group; the desk set-up creates them.
    desk_setup()
    return {
        "ressorts": len(ressorts),
        "articles": len(articles),
        "topics": len(topics),
        "authors": len(authors),
        "live tickers": 1,
    }


def _site_address(site: Site) -> None:
    """Canonical URLs, sitemaps and mails use the site's address: take it from BASE_URL."""
    address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    site.hostname = address.hostname or site.hostname
    site.port = address.port or (443 if address.scheme == "https" else 80)
    site.save(update_fields=["hostname", "port"])


def _ressorts(home, *, editor, now) -> dict[str, RessortPage]:
    founded = now - timedelta(days=max(story.days_ago for story in stories()) + 7)
    return {
        spec.slug: factories.RessortPageFactory(
            parent=home,
            title=spec.title,
            slug=spec.slug,
            description=spec.description,
            first_published_at=founded,
            editor=editor,
        )
        for spec in masthead.RESSORTS
    }


def _authors(collection) -> dict[str, Author]:
    authors = {}
    for spec in masthead.AUTHORS:
        portrait = factories.ImageFactory(
            kind="portrait",
            title=spec.name,
            motif=spec.ressort,
            width=PORTRAIT_SIZE,
            height=PORTRAIT_SIZE,
            collection=collection,
        )
        authors[spec.slug] = factories.AuthorFactory(
            name=spec.name,
            slug=spec.slug,
            role=spec.role,
            bio=spec.bio,
            is_guest=spec.is_guest,
            portrait=portrait,
        )
    return authors


def _articles(ressorts, authors, topics, *, collection, editor, now, report):
    schedule = sorted(
        ((publication_time(story, now=now), story) for story in stories()),
        key=lambda item: (item[0], item[1].slug),
    )
    articles: dict[str, ArticlePage] = {}
    for number, (published, story) in enumerate(schedule, start=1):
        articles[story.slug] = _article(
            story,
            published=published,
            ressort=ressorts[story.ressort],
            authors=[authors[slug] for slug in story.authors],
            topics=[topics[slug] for slug in story.topics],
            related=[articles[slug] for slug in story.related],
            collection=collection,
            editor=editor,
            now=now,
            number=number,
        )
        if number % 10 == 0 or number == len(schedule):
            report(_("Articles: %(done)d of %(total)d") % {"done": number, "total": len(schedule)})
    return articles


def _article(
    story, *, published, ressort, authors, topics, related, collection, editor, now, number
) -> ArticlePage:
    width, height = LEAD_IMAGE_SIZE
    image = factories.ImageFactory(
        title=story.headline,
        motif=story.ressort,
        seed=story.slug,
        width=width,
        height=height,
        collection=collection,
    )
    updated_at = None
    if story.correction_note:
        updated_at = min(published + timedelta(hours=story.correction_hours), now)
    return ArticleWithPicksFactory(
        parent=ressort,
        title=story.headline,
        slug=story.slug,
        kicker=story.kicker,
        lead=story.lead,
        body=story.stream(),
        lead_image=image,
        lead_image_caption=story.caption,
        lead_image_credit=story.credit or CREDITS[number % len(CREDITS)],
        authors=authors,
        topics=topics,
        picks=related,
        first_published_at=published,
        updated_at=updated_at,
        correction_note=story.correction_note,
        editor=editor,
    )


def _legal_pages(home, *, editor, now):
    return [
        factories.StandardPageFactory(
            parent=home,
            title=title,
            slug=slug,
            body=body.strip(),
            first_published_at=now - timedelta(days=30),
            editor=editor,
        )
        for title, slug, body in (
            (legal.IMPRESSUM_TITLE, legal.IMPRESSUM_SLUG, legal.IMPRESSUM_HTML),
            (legal.DATENSCHUTZ_TITLE, legal.DATENSCHUTZ_SLUG, legal.DATENSCHUTZ_HTML),
        )
    ]


def _brand(site, *, collection, impressum, privacy) -> None:
    logo = factories.ImageFactory(
        kind="logo",
        title=masthead.BRAND_NAME,
        short_name=masthead.BRAND_SHORT_NAME,
        height=240,
        collection=collection,
    )
    share_image = factories.ImageFactory(
        kind="lead",
        motif="politik",
        seed="brand",
        title=masthead.BRAND_NAME,
        width=1200,
        height=675,
        collection=collection,
    )
    brand = BrandSettings.for_site(site)
    brand.name = masthead.BRAND_NAME
    brand.short_name = masthead.BRAND_SHORT_NAME
    brand.tagline = masthead.BRAND_TAGLINE
    brand.logo = logo
    brand.share_image = share_image
    brand.impressum_page = impressum
    brand.privacy_page = privacy
    brand.save()
    site.site_name = masthead.BRAND_NAME
    site.save(update_fields=["site_name"])
