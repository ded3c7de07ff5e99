"""What the API shows, as plain data: every article from ``ArticlePage.objects.published()``
(live, no view restriction on it or above it, first published at or before now), Ressorts
from the menu (live and public), topics and authors only with published articles.

Each read costs a fixed number of queries whatever the size of the archive; the tests pin
them per endpoint.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

from django.db.models import Count, Max, Prefetch, Q
from django.utils.dateparse import parse_datetime

from redaktion.analytics import selectors as analytics
from redaktion.news import selectors as news
from redaktion.news.listings import TEASER_IMAGE_SPECS
from redaktion.news.live import LiveTickerEntry, LiveTickerPage
from redaktion.news.models import ArticleAuthor, ArticlePage, Author, TaggedArticle, Topic
from redaktion.news.templatetags.news_tags import article_body
from redaktion.related.selectors import related_for

IMAGE_SPEC = TEASER_IMAGE_SPECS[1]
MAX_LIMIT = 100
DEFAULT_LIMIT = 20


class BadRequest(Exception):
    """A parameter the API cannot answer; the message says which and why."""


def _ressort(ressort) -> dict | None:
    if ressort is None:
        return None
    return {"id": ressort.pk, "title": ressort.title, "slug": ressort.slug}


def _topic(topic) -> dict:
    return {"id": topic.pk, "name": topic.name, "slug": topic.slug}


def _author(author) -> dict:
    return {"id": author.pk, "name": author.name, "slug": author.slug, "role": author.role}


def _image(article) -> dict | None:
    image = article.lead_image
    if image is None:
        return None
    rendition = image.get_rendition(IMAGE_SPEC)
    return {
        "url": rendition.full_url,
        "width": rendition.width,
        "height": rendition.height,
        "alt": image.default_alt_text,
        "caption": article.lead_image_caption,
        "credit": article.lead_image_credit,
    }


def with_api_data(queryset):
    """Published articles with what a summary shows: lead image renditions, topics and
    bylines (one query each, after the articles)."""
    return queryset.prefetch_related(
        Prefetch(
            "tagged_items",
            queryset=TaggedArticle.objects.select_related("tag").order_by("tag__name"),
        ),
        Prefetch(
            "article_authors",
            queryset=ArticleAuthor.objects.select_related("author").order_by("sort_order", "pk"),
        ),
    )


def summary(article, request=None) -> dict:
    """The fields of an article in a list."""
    return {
        "id": article.pk,
        "title": article.title,
        "kicker": article.kicker,
        "lead": article.lead,
        "url": article.get_full_url(request),
        "ressort": _ressort(getattr(article, "ressort", None)),
        "topics": [_topic(item.tag) for item in article.tagged_items.all()],
        "authors": [_author(item.author) for item in article.article_authors.all()],
        "first_published_at": article.first_published_at,
        "updated_at": article.updated_at,
        "reading_time": article.reading_time,
        "image": _image(article),
    }


def _encode(when: datetime, pk: int) -> str:
    raw = f"{when.isoformat()}|{pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def encode_cursor(article) -> str:
    return _encode(article.first_published_at, article.pk)


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        when, pk = raw.split("|")
        parsed = parse_datetime(when)
        if parsed is None:
            raise ValueError(when)
        return parsed, int(pk)
    except (ValueError, UnicodeDecodeError, binascii.Error) as exc:
        raise BadRequest("cursor: not a cursor this API gave out") from exc


def articles(
    *,
    ressort: str | None = None,
    topic: str | None = None,
    author: str | None = None,
    published_from: datetime | None = None,
    published_before: datetime | None = None,
    cursor: str | None = None,
    limit: int = DEFAULT_LIMIT,
    request=None,
) -> dict:
    """Published articles, newest first, ``limit`` (at most ``MAX_LIMIT``) after ``cursor``;
    ``next`` is the cursor of the following page or None. Filters by Ressort, topic and
    author slug and by first publication (``published_from`` inclusive, ``published_before``
    exclusive). Raises ``BadRequest`` for an unknown slug or cursor.

    Queries: the Ressorts (two), the topic or author (one each when given), the view
    restrictions, the articles, topics, bylines, and lead image renditions (when an article
    has a lead image).
    """
    limit = max(1, min(limit, MAX_LIMIT))
    ressort_list = news.ressorts()
    queryset = ArticlePage.objects.teasers()
    if ressort:
        found = next((item for item in ressort_list if item.slug == ressort), None)
        if found is None:
            raise BadRequest(f"ressort: no Ressort {ressort!r}")
        queryset = queryset.in_ressort(found)
    if topic:
        found_topic = Topic.objects.filter(slug=topic).first()
        if found_topic is None:
            raise BadRequest(f"topic: no topic {topic!r}")
        queryset = queryset.with_topic(found_topic)
    if author:
        found_author = Author.objects.filter(slug=author).first()
        if found_author is None:
            raise BadRequest(f"author: no author {author!r}")
        queryset = queryset.by_author(found_author)
    if published_from:
        queryset = queryset.filter(first_published_at__gte=published_from)
    if published_before:
        queryset = queryset.filter(first_published_at__lt=published_before)
    if cursor:
        when, pk = decode_cursor(cursor)
        queryset = queryset.filter(
            Q(first_published_at__lt=when) | Q(first_published_at=when, pk__lt=pk)
        )
    page = list(with_api_data(queryset)[: limit + 1])
    more = len(page) > limit
    page = news.attach_ressorts(page[:limit], ressort_list)
    return {
        "items": [summary(article, request) for article in page],
        "next": encode_cursor(page[-1]) if more else None,
    }


def published_article(pk: int) -> ArticlePage | None:
    """The published article ``pk`` with its summary data, or None (two queries: view
    restrictions, the article; plus topics and bylines)."""
    return (
        with_api_data(ArticlePage.objects.published().select_related("lead_image"))
        .filter(pk=pk)
        .first()
    )


def article_detail(article: ArticlePage, request=None) -> dict:
    """The summary plus the body as blocks (each block's API representation) and as HTML
    (rendered once per published revision, as on the article page)."""
    data = summary(article, request)
    data["ressort"] = _ressort(article.ressort)
    context = {"request": request}
    data["body"] = [
        {
            "type": block.block_type,
            "id": block.id,
            "value": block.block.get_api_representation(block.value, context=context),
        }
        for block in article.body
    ]
    data["body_html"] = "".join(str(item.html) for item in article_body(context, article))
    data["correction_note"] = article.correction_note
    return data


def related(article: ArticlePage, request=None) -> dict:
    """ "Mehr zum Thema" of the article, as on its page."""
    items = related_for(article)
    return {"items": [_short(item, request) for item in items]}


def _short(article, request=None) -> dict:
    return {
        "id": article.pk,
        "title": article.title,
        "url": article.get_full_url(request),
        "first_published_at": article.first_published_at,
    }


def ressorts(request=None) -> dict:
    """Live, public Ressorts in menu order (two queries)."""
    return {
        "items": [
            {**_ressort(item), "url": item.get_full_url(request), "description": item.description}
            for item in news.ressorts()
        ]
    }


def topics() -> dict:
    """Topics with at least one published article, by name, with their number (two
    queries)."""
    published = ArticlePage.objects.published().order_by().values("pk")
    rows = (
        Topic.objects.filter(tagged_articles__content_object__in=published)
        .annotate(articles=Count("tagged_articles", distinct=True))
        .order_by("name")
    )
    return {"items": [{**_topic(topic), "articles": topic.articles} for topic in rows]}


def authors() -> dict:
    """Authors with at least one published article, by name, with their number (three
    queries)."""
    published = ArticlePage.objects.published().order_by().values("pk")
    counts = dict(
        ArticleAuthor.objects.filter(page__in=published)
        .order_by()
        .values("author_id")
        .annotate(articles=Count("page", distinct=True))
        .values_list("author_id", "articles")
    )
    rows = Author.objects.filter(pk__in=list(counts)).order_by("name")
    return {"items": [{**_author(author), "articles": counts[author.pk]} for author in rows]}


def most_read(*, hours: int, ressort: str | None = None, limit: int = 10, request=None) -> dict:
    """The most-read published articles of the last ``hours`` hours (of a Ressort), without
    the editors' exclusions; each with its views."""
    ressort_list = news.ressorts()
    found = None
    if ressort:
        found = next((item for item in ressort_list if item.slug == ressort), None)
        if found is None:
            raise BadRequest(f"ressort: no Ressort {ressort!r}")
    items = analytics.most_read(hours=hours, limit=limit, ressort=found, ressort_list=ressort_list)
    return {
        "hours": hours,
        "items": [{**_short(item, request), "views": item.views} for item in items],
    }


def search_results(results, request=None) -> dict:
    """A page of the search's results (``redaktion.search.selectors.search``), best first."""
    return {
        "total": results.total,
        "page": results.page.number,
        "pages": results.page.num_pages,
        "items": [
            {
                **_short(article, request),
                "lead": article.lead,
                "ressort": _ressort(getattr(article, "ressort", None)),
            }
            for article in results.articles
        ],
    }


def _entry(entry: LiveTickerEntry, request=None) -> dict:
    context = {"request": request}
    return {
        "id": entry.pk,
        "posted_at": entry.posted_at,
        "updated_at": entry.updated_at,
        "title": entry.title,
        "summary": entry.summary,
        "key_event": entry.is_key_event,
        "pinned": entry.is_pinned,
        "author": _author(entry.author) if entry.author else None,
        "body": [
            {
                "type": block.block_type,
                "id": block.id,
                "value": block.block.get_api_representation(block.value, context=context),
            }
            for block in entry.body
        ],
        "body_html": "".join(str(block.render(context)) for block in entry.body),
    }


def live_entries(
    ticker_id: int,
    *,
    since: int | None = None,
    cursor: str | None = None,
    limit: int = DEFAULT_LIMIT,
    request=None,
) -> dict | None:
    """The entries of the published, public Liveticker ``ticker_id``; None when readers
    cannot see it (a draft, scheduled, unpublished or view-restricted ticker, or no ticker).

    Without ``since``: the newest ``limit`` entries by time, newest first, and ``next``, the
    cursor of the older ones (None at the beginning). With ``since`` (an entry id, as the
    page's poll asks): the entries added after it, oldest first, ``limit`` at most, and
    ``more`` when there are others (ask again with ``since=latest``). ``latest`` is the id
    to poll from. Raises ``BadRequest`` for a cursor this API did not give out, or both.

    Queries: the view restrictions, the ticker, the entries with their authors, and (without
    ``since``) the newest entry's id; whatever the ticker's length.
    """
    if since is not None and cursor:
        raise BadRequest("cursor: not together with since")
    limit = max(1, min(limit, MAX_LIMIT))
    ticker = LiveTickerPage.objects.published().filter(pk=ticker_id).first()
    if ticker is None:
        return None
    entries = LiveTickerEntry.objects.filter(ticker_id=ticker.pk)
    rows = entries.select_related("author")
    if since is not None:
        page = list(rows.filter(pk__gt=since).order_by("pk")[: limit + 1])
        more, page = len(page) > limit, page[:limit]
        latest = page[-1].pk if page else since
        following = None
    else:
        if cursor:
            when, pk = decode_cursor(cursor)
            rows = rows.filter(Q(posted_at__lt=when) | Q(posted_at=when, pk__lt=pk))
        page = list(rows.order_by("-posted_at", "-pk")[: limit + 1])
        older, page, more = len(page) > limit, page[:limit], False
        following = _encode(page[-1].posted_at, page[-1].pk) if older else None
        latest = entries.aggregate(newest=Max("pk"))["newest"] or 0
    return {
        "ticker": {
            "id": ticker.pk,
            "title": ticker.title,
            "url": ticker.get_full_url(request),
            "closed": ticker.is_closed,
        },
        "items": [_entry(entry, request) for entry in page],
        "next": following,
        "more": more,
        "latest": latest,
    }
