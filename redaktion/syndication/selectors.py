"""Reads for sitemaps and feeds: which pages, topics, authors and articles crawlers and feed
readers are told about.

Everything here is limited to live pages outside private sections, beneath the given
site's root page; each function runs a fixed number of queries however much it returns.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import (
    Case,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone
from wagtail.models import Page, Site

from redaktion.news import selectors as news_selectors
from redaktion.news.live import LiveTickerEntry
from redaktion.news.models import (
    ArticleAuthor,
    ArticlePage,
    Author,
    RessortPage,
    TaggedArticle,
    Topic,
)

NEWS_SITEMAP_WINDOW = timedelta(hours=48)
NEWS_SITEMAP_LIMIT = 1000
FEED_LENGTH = 50
# Key events of a Liveticker shown in its feed item, the newest.
FEED_KEY_EVENTS = 3


def public_articles(*, site: Site):
    """Published articles of ``site`` (one query for the restrictions)."""
    return ArticlePage.objects.published().descendant_of(site.root_page)


def _open_tickers(now: datetime) -> Q:
    return Q(livetickerpage__isnull=False) & (
        Q(livetickerpage__closed_at__isnull=True) | Q(livetickerpage__closed_at__gt=now)
    )


def news_sitemap_articles(
    *, site: Site, now: datetime | None = None, limit: int = NEWS_SITEMAP_LIMIT
) -> list[ArticlePage]:
    """Articles first published in the 48 hours up to ``now`` and Livetickers still live
    (not closed) whenever they began, newest first, at most ``limit`` (Google News reads
    1000), without their body."""
    now = now or timezone.now()
    return list(
        public_articles(site=site)
        .filter(
            Q(first_published_at__gt=now - NEWS_SITEMAP_WINDOW) | _open_tickers(now),
            first_published_at__lte=now,
        )
        .order_by("-first_published_at", "-pk")
        .defer_streamfields()[:limit]
    )


def newest_news_publication(*, site: Site, now: datetime | None = None) -> datetime | None:
    """When the newest article in the news sitemap was first published; ``None`` if empty."""
    now = now or timezone.now()
    return (
        public_articles(site=site)
        .filter(first_published_at__gt=now - NEWS_SITEMAP_WINDOW, first_published_at__lte=now)
        .aggregate(newest=Max("first_published_at"))["newest"]
    )


def sitemap_pages(*, site: Site):
    """The site's live, public pages in tree order, as specific pages without StreamFields.

    Each is annotated with ``newest_descendant_published_at``: the latest publication of a
    live, public page beneath it (``None`` for pages without children), so the home page and
    the Ressorts show as changed whenever an article in them is published.
    """
    private = Page.objects.all().private_q()
    newest_below = (
        Page.objects.live()
        .exclude(private)
        .filter(path__startswith=OuterRef("path"), depth__gt=OuterRef("depth"))
        .order_by("-last_published_at")
        .values("last_published_at")[:1]
    )
    return (
        site.root_page.get_descendants(inclusive=True)
        .live()
        .exclude(private)
        .annotate(
            newest_descendant_published_at=Case(
                When(numchild__gt=0, then=Subquery(newest_below)), default=None
            )
        )
        .order_by("path")
        .defer_streamfields()
        .specific()
    )


def latest_page_publication(*, site: Site) -> datetime | None:
    return (
        site.root_page.get_descendants(inclusive=True)
        .live()
        .public()
        .aggregate(latest=Max("last_published_at"))["latest"]
    )


def _with_article_lastmod(queryset: QuerySet, articles, relation: str) -> QuerySet:
    """``queryset`` limited to rows with at least one of ``articles`` through ``relation``,
    annotated with ``lastmod``, the latest publication among them; ordered by slug."""
    mine = articles.filter(**{relation: OuterRef("pk")})
    newest = mine.order_by("-last_published_at").values("last_published_at")[:1]
    return queryset.filter(Exists(mine)).annotate(lastmod=Subquery(newest)).order_by("slug")


def sitemap_topics(*, site: Site) -> QuerySet[Topic]:
    """Topics with at least one public article on ``site``, with ``lastmod``, by slug."""
    return _with_article_lastmod(
        Topic.objects.all(), public_articles(site=site), "tagged_items__tag"
    )


def sitemap_authors(*, site: Site) -> QuerySet[Author]:
    """Authors with at least one public article on ``site``, with ``lastmod``, by slug."""
    return _with_article_lastmod(
        Author.objects.all(), public_articles(site=site), "article_authors__author"
    )


def feed_length() -> int:
    """How many articles a feed lists: the ``FEED_LENGTH`` setting, 50 by default."""
    return getattr(settings, "FEED_LENGTH", FEED_LENGTH)


def feed_ressort(*, site: Site, slug: str) -> RessortPage:
    """The live, public Ressort of ``site`` with ``slug``; ``RessortPage.DoesNotExist``
    otherwise. Two queries (view restrictions, the Ressort)."""
    return RessortPage.objects.live().public().child_of(site.root_page).get(slug=slug)


def feed_articles(
    *,
    site: Site,
    image_specs: tuple[str, ...],
    ressort: RessortPage | None = None,
    topic: Topic | None = None,
    author: Author | None = None,
    limit: int | None = None,
    now: datetime | None = None,
) -> list[ArticlePage]:
    """The newest articles of ``site`` for a feed: live, public and first published up to
    ``now`` (an article backdated into the future waits for its time), newest first by
    first publication, at most ``limit`` (:func:`feed_length`); all of them, or those of
    one Ressort, topic or author.

    Each comes with ``ressort`` attached, its lead image with the ``image_specs``
    renditions, ``article_authors`` (with their ``author``) in byline order and
    ``tagged_items`` (with their ``tag``) by topic name, and ``newest_entry_at``: for a
    Liveticker, when its newest entry was posted (None for an article). Five queries for
    any number of articles (view restrictions, articles, renditions, bylines, topics), plus
    two (the Ressorts and their view restrictions) unless ``ressort`` is given; the
    renditions query only runs when an article has a lead image.
    """
    now = now or timezone.now()
    queryset = (
        news_selectors.teasers(image_specs)
        .descendant_of(site.root_page)
        .filter(first_published_at__lte=now)
        .annotate(
            newest_entry_at=Subquery(
                LiveTickerEntry.objects.filter(ticker_id=OuterRef("pk"))
                .order_by("-posted_at")
                .values("posted_at")[:1]
            )
        )
        .prefetch_related(
            # Bylines added in code rather than in the editor share one sort_order; the pk
            # then keeps the order they were added in.
            Prefetch(
                "article_authors",
                queryset=ArticleAuthor.objects.select_related("author").order_by(
                    "sort_order", "pk"
                ),
            ),
            Prefetch(
                "tagged_items",
                queryset=TaggedArticle.objects.select_related("tag").order_by("tag__name"),
            ),
        )
    )
    if ressort is not None:
        queryset = queryset.in_ressort(ressort)
    if topic is not None:
        queryset = queryset.with_topic(topic)
    if author is not None:
        queryset = queryset.by_author(author)
    ressort_list = [ressort] if ressort is not None else news_selectors.ressorts()
    return news_selectors.attach_ressorts(queryset[: limit or feed_length()], ressort_list)


def ticker_key_events(
    articles, *, limit: int = FEED_KEY_EVENTS
) -> dict[int, list[LiveTickerEntry]]:
    """The newest ``limit`` key events of each Liveticker among ``articles`` (those of
    :func:`feed_articles` with a ``newest_entry_at``) by ticker id, newest first. One query,
    none when no ticker with entries is among them."""
    ticker_ids = [article.pk for article in articles if article.newest_entry_at is not None]
    if not ticker_ids:
        return {}
    rows = (
        LiveTickerEntry.objects.filter(ticker_id__in=ticker_ids, is_key_event=True)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("ticker_id")],
                order_by=[F("posted_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=limit)
        .order_by("ticker_id", "-posted_at", "-pk")
    )
    events: dict[int, list[LiveTickerEntry]] = {}
    for entry in rows:
        events.setdefault(entry.ticker_id, []).append(entry)
    return events
