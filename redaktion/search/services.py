"""Writes of the search index: index one article, drop one, rebuild everything.

Every service is idempotent: indexing an article twice leaves the same row, removing an
article that is not indexed does nothing. Only published articles (live, no view
restriction on them or an ancestor) are indexed; an article that is no longer published is
removed when it is indexed again, so a late task never resurrects it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from redaktion.news.blocks import body_text
from redaktion.news.models import ArticlePage, TaggedArticle
from redaktion.news.selectors import author_ids_by_article, parent_ids

from . import analysis
from .backends import IndexRow, backend
from .models import QueryLogEntry, SearchDocument

BATCH = 500

Progress = Callable[[int, int], None]


def published_articles():
    """Articles that readers may see (``ArticlePage.objects.published()``)."""
    return ArticlePage.objects.published()


def index_rows(articles: Sequence[ArticlePage]) -> list[IndexRow]:
    """The index rows of ``articles`` (body loaded); three queries for any number: the
    Ressorts (parents), the topics and the authors."""
    if not articles:
        return []
    ids = [a.pk for a in articles]
    parents = parent_ids(a.path for a in articles)
    topics: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for article_id, tag_id, name in TaggedArticle.objects.filter(
        content_object_id__in=ids
    ).values_list("content_object_id", "tag_id", "tag__name"):
        topics[article_id].append((tag_id, name))
    authors = author_ids_by_article(ids)
    rows = []
    for article in articles:
        published = article.first_published_at or article.last_published_at or timezone.now()
        article_topics = sorted(topics[article.pk])
        rows.append(
            IndexRow(
                article_id=article.pk,
                ressort_id=parents.get(article.path[: -Page.steplen], 0),
                published_at=published,
                year=timezone.localtime(published).year,
                topic_ids=[pk for pk, _ in article_topics],
                author_ids=authors[article.pk],
                headline=analysis.tokens(article.title),
                lead=analysis.tokens(f"{article.kicker} {article.lead}"),
                body=analysis.tokens(body_text(article.body)),
                topics=analysis.tokens(" ".join(name for _, name in article_topics)),
            )
        )
    return rows


@transaction.atomic
def search_index_article(*, article_id: int) -> bool:
    """Indexes the article if it is published, else removes it. Returns whether it is in
    the index now."""
    article = published_articles().filter(pk=article_id).first()
    if article is None:
        backend().delete([article_id])
        return False
    backend().write(index_rows([article]))
    return True


@transaction.atomic
def search_remove_article(*, article_id: int) -> None:
    """Takes the article out of the index (nothing happens if it is not there)."""
    backend().delete([article_id])


def search_rebuild(*, progress: Progress | None = None) -> int:
    """Indexes every published article afresh and drops every other row; returns the number
    of indexed articles. Each batch of ``BATCH`` articles is its own transaction, so readers
    keep finding the old rows until the new ones replace them."""
    index = backend()
    ids = list(published_articles().order_by("pk").values_list("pk", flat=True))
    stale = set(SearchDocument.objects.values_list("article_id", flat=True)) - set(ids)
    with transaction.atomic():
        index.delete(sorted(stale))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        with transaction.atomic():
            articles = list(ArticlePage.objects.filter(pk__in=chunk).order_by("pk"))
            index.write(index_rows(articles))
        if progress:
            progress(min(start + BATCH, len(ids)), len(ids))
    return len(ids)


# What the log keeps of a query: its words as typed, lowercased, spaces collapsed, cut.
LOG_TEXT_MAX = 200


def query_log_text(text: str) -> str:
    """The form in which a query is logged and reported: lowercased, one space between
    words, at most ``LOG_TEXT_MAX`` characters."""
    return " ".join(analysis.normalise(text).split())[:LOG_TEXT_MAX]


def query_log_record(*, text: str, results: int, clicked_rank: int | None = None) -> bool:
    """Logs one search (``clicked_rank`` None) or one click on the result at
    ``clicked_rank`` (1 is the first result of the first page), on today's date and with
    nothing about the reader. Returns False, logging nothing, for an empty query."""
    logged = query_log_text(text)
    if not logged:
        return False
    QueryLogEntry.objects.create(
        day=timezone.localdate(), text=logged, results=results, clicked_rank=clicked_rank
    )
    return True


def query_log_prune(*, today=None) -> int:
    """Deletes the log's entries older than ``SEARCH_LOG_DAYS`` days (the report looks at the
    last 30); returns how many. Run by every scheduler run of the worker."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.SEARCH_LOG_DAYS)
    deleted, _by_model = QueryLogEntry.objects.filter(day__lt=cutoff).delete()
    return deleted
