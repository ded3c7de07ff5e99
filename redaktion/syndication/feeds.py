"""RSS 2.0, Atom and JSON Feed for the whole site and for each Ressort, topic and author.

One :class:`ArticleFeed` (Django's syndication view) serves every kind and format:
``get_object`` gathers everything a feed shows into a :class:`Channel` of plain
:class:`Entry` values (so the per-item methods need neither the request nor the database),
and the generator of :mod:`.feedgenerators` writes it.

- Entries: the newest articles (:func:`.selectors.feed_articles`): headline, absolute URL,
  a stable id, the lead, the lead image (the Open Graph rendition, as an enclosure with
  its byte length), every author, Ressort and topics as categories, first publication and
  last update in the site's time zone.
- A Liveticker is one item that its entries update: its update time is its newest entry's,
  and its description ends with its latest key events (``18:15 Uhr: …``); the feed carries
  the ticker's surrogate key, so each new entry purges it with the ticker's page.
- Absolute URLs are built on the Wagtail site's root URL (see :mod:`.links`).
- Ids are ``urn:uuid:`` names derived from the site's host and the page id, so they stay the
  same when an article is renamed, moved or re-dated, and differ between sites.
- Responses carry ``Last-Modified`` (the newest entry's update) and an ``ETag``; the page
  cache (``redaktion.core.middleware``) stores them with the feed, answers conditional
  requests with 304 and drops every feed when an article is published.
"""

import hashlib
import logging
import mimetypes
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import set_response_etag
from django.utils.feedgenerator import Enclosure
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.images.models import SourceImageIOError

from redaktion.core import surrogate
from redaktion.core.models import BrandSettings
from redaktion.core.outage import cache_call
from redaktion.core.templatetags.redaktion_tags import uhrzeit
from redaktion.news import keys
from redaktion.news.live import ticker_key
from redaktion.news.models import Author, Topic

from . import selectors
from .feedgenerators import JsonFeed, NewsAtomFeed, NewsRssFeed
from .links import absolute_url, author_url, content_language, route_url, site_for_request
from .metadata import ARTICLE_IMAGE_SPECS, TITLE_SEPARATOR

logger = logging.getLogger(__name__)

SITE, RESSORT, TOPIC, AUTHOR = "site", "ressort", "topic", "author"
KINDS = (SITE, RESSORT, TOPIC, AUTHOR)


@dataclass(frozen=True)
class FeedFormat:
    key: str
    generator: type
    media_type: str
    label: str
    filename: str


FORMATS = {
    "rss": FeedFormat("rss", NewsRssFeed, "application/rss+xml", "RSS", "rss.xml"),
    "atom": FeedFormat("atom", NewsAtomFeed, "application/atom+xml", "Atom", "atom.xml"),
    "json": FeedFormat("json", JsonFeed, "application/feed+json", "JSON Feed", "feed.json"),
}

# The Open Graph image: feed readers get the rendition that page views and shares
# have already made.
IMAGE_SPEC = ARTICLE_IMAGE_SPECS[0]
SIZE_CACHE_PREFIX = "redaktion:feeds:size:"
SIZE_CACHE_SECONDS = 60 * 60 * 24 * 30


def url_name(kind: str, fmt: str) -> str:
    """The name of a feed's URL in the ``feeds`` namespace: ``feeds:rss``,
    ``feeds:ressort_atom``, ``feeds:topic_json``, …"""
    return f"feeds:{fmt}" if kind == SITE else f"feeds:{kind}_{fmt}"


def feed_path(kind: str, fmt: str, slug: str | None = None) -> str:
    kwargs = {"slug": slug} if kind != SITE else {}
    return reverse(url_name(kind, fmt), kwargs=kwargs)


@dataclass(frozen=True)
class FeedImage:
    url: str
    length: int
    mime_type: str


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    url: str
    summary: str
    published: datetime
    updated: datetime
    bylines: list[tuple[str, str | None]] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    image: FeedImage | None = None
    # A Liveticker's latest key events, newest first: "18:15 Uhr: the entry's line".
    updates: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Channel:
    title: str
    description: str
    link: str
    feed_url: str
    publisher: str
    home_url: str
    entries: list[Entry] = field(default_factory=list)


def channel_title(kind: str, subject, brand_name: str) -> str:
    """A feed's title: the brand for the site, else ``<subject> – <brand>``."""
    if kind == SITE or subject is None:
        return brand_name
    name = subject.title if kind == RESSORT else subject.name
    return TITLE_SEPARATOR.join([name, brand_name])


def channel_description(kind: str, subject, brand) -> str:
    if kind == RESSORT:
        return subject.description or _("The latest articles in %(ressort)s") % {
            "ressort": subject.title
        }
    if kind == TOPIC:
        return subject.description or _("News and background on %(topic)s") % {
            "topic": subject.name
        }
    if kind == AUTHOR:
        return _("Articles by %(name)s") % {"name": subject.name}
    return brand.tagline or _("The latest articles from %(brand)s") % {"brand": brand.name}


def entry_id(site, page_id: int) -> str:
    """``urn:uuid:…``: the same for a page on a site forever, different on another site."""
    host = urlsplit(site.root_url).hostname or site.hostname
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{host}/page/{page_id}").urn


def _size_key(name: str) -> str:
    return SIZE_CACHE_PREFIX + hashlib.sha256(name.encode()).hexdigest()


def file_sizes(renditions) -> dict[str, int]:
    """Byte length of each rendition's file by file name.

    A rendition's file never changes (a new source image makes new renditions), so sizes
    are cached: with object storage each size is a request, and a purge rebuilds every feed.
    A file the storage cannot read counts as 0, what the RSS profile asks for when the length
    is unknown.
    """
    names = {rendition.file.name: rendition for rendition in renditions}
    known = cache_call(cache.get_many, [_size_key(name) for name in names], fallback={})
    sizes, missing = {}, {}
    for name, rendition in names.items():
        size = known.get(_size_key(name))
        if size is None:
            try:
                size = rendition.file.size
            except OSError:
                logger.warning("Rendition file %s is missing; feed length 0.", name)
                size = 0
            missing[_size_key(name)] = size
        sizes[name] = size
    if missing:
        cache_call(cache.set_many, missing, SIZE_CACHE_SECONDS)
    return sizes


def lead_renditions(articles) -> dict[int, object]:
    """The feed rendition of each article's lead image by article id; none for an image
    whose original file is missing (the article is listed without image)."""
    renditions = {}
    for article in articles:
        if article.lead_image is None:
            continue
        try:
            renditions[article.pk] = article.lead_image.get_rendition(IMAGE_SPEC)
        except (SourceImageIOError, OSError):
            logger.warning(
                "Image %s has no readable file; feed item without image.", article.lead_image_id
            )
    return renditions


def build_entries(*, site, request, articles) -> list[Entry]:
    renditions = lead_renditions(articles)
    sizes = file_sizes(renditions.values())
    key_events = selectors.ticker_key_events(articles)
    entries = []
    for article in articles:
        # Whole seconds, as RSS dates and HTTP's Last-Modified have them.
        published = timezone.localtime(article.first_published_at).replace(microsecond=0)
        updated = timezone.localtime(
            article.updated_at or article.last_published_at or published
        ).replace(microsecond=0)
        if article.newest_entry_at is not None:
            newest_entry = timezone.localtime(article.newest_entry_at).replace(microsecond=0)
            updated = max(updated, newest_entry)
        rendition = renditions.get(article.pk)
        image = None
        if rendition is not None:
            image = FeedImage(
                url=absolute_url(site, rendition.url),
                length=sizes[rendition.file.name],
                mime_type=mimetypes.guess_type(rendition.file.name)[0] or "image/jpeg",
            )
        ressort = article.ressort
        entries.append(
            Entry(
                id=entry_id(site, article.pk),
                title=article.title,
                url=article.get_full_url(request),
                summary=article.lead,
                published=published,
                updated=max(updated, published),
                bylines=[
                    (byline.author.name, author_url(site, byline.author))
                    for byline in article.article_authors.all()
                ],
                categories=[
                    ressort.title,
                    *(tagged.tag.name for tagged in article.tagged_items.all()),
                ],
                image=image,
                updates=[
                    f"{uhrzeit(event.posted_at)}: {event.line}"
                    for event in key_events.get(article.pk, ())
                ],
            )
        )
    return entries


class ArticleFeed(Feed):
    """The feed of one ``kind`` (site, ressort, topic, author) in one format (``rss``,
    ``atom``, ``json``). 404 for an unknown slug or a host without a Wagtail site.

    Queries per feed: the site and its settings, the subject (Ressort, topic or author),
    and :func:`.selectors.feed_articles` - a fixed number for any number of items.
    """

    item_guid_is_permalink = False

    def __init__(self, *, kind: str, fmt: str):
        if kind not in KINDS:
            raise ValueError(f"Unknown feed kind {kind!r}; choose one of {', '.join(KINDS)}.")
        self.kind = kind
        self.format = FORMATS[fmt]
        self.feed_type = self.format.generator

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        set_response_etag(response)
        return response

    @property
    def language(self):
        return content_language()

    def get_object(self, request, slug: str | None = None) -> Channel:
        site = site_for_request(request)
        if site is None:
            raise Http404("No site is configured for this host.")
        brand = BrandSettings.for_request(request)
        subject, filters = None, {}
        if self.kind == RESSORT:
            subject = selectors.feed_ressort(site=site, slug=slug)
            link = subject.get_full_url(request)
            filters["ressort"] = subject
            surrogate.add_keys(request, keys.ressort(subject.pk))
        elif self.kind == TOPIC:
            subject = Topic.objects.get(slug=slug)
            link = route_url(site, "topic", slug=subject.slug)
            filters["topic"] = subject
            surrogate.add_keys(request, keys.topic(subject.pk))
        elif self.kind == AUTHOR:
            subject = Author.objects.get(slug=slug)
            link = route_url(site, "author", slug=subject.slug)
            filters["author"] = subject
            surrogate.add_keys(request, keys.author(subject.pk))
        else:
            link = absolute_url(site, "/")
            surrogate.add_keys(request, keys.FEEDS)
        articles = selectors.feed_articles(site=site, image_specs=(IMAGE_SPEC,), **filters)
        tickers = [article.pk for article in articles if article.newest_entry_at is not None]
        surrogate.add_keys(request, *map(ticker_key, tickers))
        return Channel(
            title=channel_title(self.kind, subject, brand.name),
            description=channel_description(self.kind, subject, brand),
            link=link or absolute_url(site, "/"),
            feed_url=absolute_url(site, feed_path(self.kind, self.format.key, slug)),
            publisher=brand.name,
            home_url=absolute_url(site, "/"),
            entries=build_entries(site=site, request=request, articles=articles),
        )

    # The channel

    def title(self, channel):
        return channel.title

    def description(self, channel):
        return channel.description

    def link(self, channel):
        return channel.link

    def feed_url(self, channel):
        return channel.feed_url

    def feed_guid(self, channel):
        return channel.feed_url

    def author_name(self, channel):
        return channel.publisher

    def author_link(self, channel):
        return channel.home_url

    def items(self, channel):
        return channel.entries

    # Its items

    def item_title(self, entry):
        return entry.title

    def item_link(self, entry):
        return entry.url

    def item_guid(self, entry):
        return entry.id

    def item_description(self, entry):
        # RSS descriptions and Atom summaries are HTML; the lead is plain text.
        if not entry.updates:
            return escape(entry.summary)
        updates = "".join(f"<li>{escape(update)}</li>" for update in entry.updates)
        return f"<p>{escape(entry.summary)}</p><ul>{updates}</ul>"

    def item_pubdate(self, entry):
        return entry.published

    def item_updateddate(self, entry):
        return entry.updated

    def item_categories(self, entry):
        return entry.categories

    def item_enclosures(self, entry):
        if entry.image is None:
            return []
        return [Enclosure(entry.image.url, str(entry.image.length), entry.image.mime_type)]

    def item_extra_kwargs(self, entry):
        return {
            "bylines": entry.bylines,
            "summary_text": entry.summary,
            "updates": entry.updates,
            "image_url": entry.image.url if entry.image else None,
        }
