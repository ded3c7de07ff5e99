"""Reads of the counts: the most-read articles of the last hours, trending topics, and one
article's report for the editors.

The lists hold published articles only (``ArticlePage.objects.published()``) and never an
article editors excluded; each costs a fixed number of queries, pinned by the tests.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from django.db.models import Q, Sum
from django.utils import timezone

from redaktion.news import selectors as news
from redaktion.news.models import ArticlePage, Topic

from .models import ArticleReadHour

BOX_HOURS = 24
BOX_LENGTH = 5
WEEK_HOURS = 7 * 24
PAGE_LENGTH = 20
TRENDING_LENGTH = 8


def window_start(hours: int, now: datetime | None = None) -> datetime:
    """The first hour bucket inside the last ``hours`` hours before ``now``: the bucket that
    contains ``now`` counts as one of them."""
    now = now or timezone.now()
    current = now.replace(minute=0, second=0, microsecond=0)
    return current - timedelta(hours=hours - 1)


def most_read(
    *,
    hours: int = BOX_HOURS,
    limit: int = BOX_LENGTH,
    ressort=None,
    now: datetime | None = None,
    teasers: bool = False,
    ressort_list=None,
) -> list[ArticlePage]:
    """The ``limit`` published articles read most in the last ``hours`` hours (of
    ``ressort`` only, if given), most views first, then the newer article, then the higher
    id; each carries ``views`` (the sum over the window) and its Ressort.

    Excluded articles and articles without views in the window are left out. Queries: the
    view restrictions and the articles; with ``teasers`` the lead image renditions as well
    (when an article has a lead image); plus two (view restrictions, Ressorts) when
    ``ressort_list`` is not given.
    """
    since = window_start(hours, now)
    queryset = ArticlePage.objects.teasers() if teasers else ArticlePage.objects.published()
    if not teasers:
        queryset = queryset.defer_streamfields()
    if ressort is not None:
        queryset = queryset.in_ressort(ressort)
    articles = (
        queryset.filter(most_read_exclusion__isnull=True, read_hours__hour__gte=since)
        .annotate(views=Sum("read_hours__views"))
        .order_by("-views", "-first_published_at", "-pk")[:limit]
    )
    if ressort_list is None:
        ressort_list = news.ressorts()
    return news.attach_ressorts(articles, ressort_list)


def trending_topics(
    *, hours: int = BOX_HOURS, limit: int = TRENDING_LENGTH, now: datetime | None = None
) -> list[Topic]:
    """The topics whose published articles were read most in the last ``hours`` hours, most
    views first, then by name; each carries ``views``. Excluded articles do not count. Two
    queries (view restrictions, topics)."""
    since = window_start(hours, now)
    article_ids = (
        ArticlePage.objects.published()
        .filter(most_read_exclusion__isnull=True)
        .order_by()
        .values("pk")
    )
    return list(
        Topic.objects.filter(
            tagged_articles__content_object__in=article_ids,
            tagged_articles__content_object__read_hours__hour__gte=since,
        )
        .annotate(views=Sum("tagged_articles__content_object__read_hours__views"))
        .order_by("-views", "name")[:limit]
    )


def article_hours(article_id: int) -> list[tuple[datetime, int]]:
    """The article's views per hour (hour start, views), oldest first: every hour with
    views since the article was counted first. One query."""
    return list(
        ArticleReadHour.objects.filter(article_id=article_id)
        .order_by("hour")
        .values_list("hour", "views")
    )


def article_referrers(article_id: int) -> list[tuple[str, int]]:
    """Where the article's readers came from: referrer hosts with their views, most first
    (an empty host: none sent, typed in or from an app). One query."""
    totals: Counter[str] = Counter()
    for referrers in ArticleReadHour.objects.filter(article_id=article_id).values_list(
        "referrers", flat=True
    ):
        totals.update(referrers)
    return sorted(totals.items(), key=lambda item: (-item[1], item[0]))


def top_articles(*, hours: int = WEEK_HOURS, limit: int = 50, now=None) -> list[dict]:
    """For the editors' report: the articles (any state, exclusions included) with the most
    views in the last ``hours`` hours, as dicts of ``article_id``, ``title``, ``views``.
    One query."""
    since = window_start(hours, now)
    return list(
        ArticleReadHour.objects.filter(hour__gte=since)
        .values("article_id", "article__title")
        .annotate(views=Sum("views"))
        .filter(~Q(views=0))
        .order_by("-views", "-article_id")[:limit]
    )
