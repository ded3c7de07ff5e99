"""The read-only JSON API, ``/api/v1/``, for apps, smart displays and partners.

Built with django-ninja: Wagtail 8 already depends on it (its own v3 admin API is built on
it), so it adds nothing to install; its pydantic schemas give the OpenAPI document
(``/api/v1/openapi.json``, OpenAPI 3.1) from the same types the tests validate answers
against. Wagtail's API v2 (on Django REST framework) serves pages by type with their
fields, but our resources are not only pages (topics, authors, search, most-read) and
need the site's one ``published()`` rule rather than Wagtail's ``live().public()``; Django
REST framework alone would mean a second schema generator beside the one Wagtail ships.

Every answer is JSON with an ``ETag`` (a hash of its body); the page cache
(``redaktion.core.middleware``) marks it ``public`` with the page cache's lifetimes, sends
its surrogate keys (every article shown names its own, lists their Ressort, topic or
author), stores it when it has no query parameters, and answers ``304`` to a matching
``If-None-Match``. The data of a list is also a fragment (``redaktion.core.fragments``),
purged by the same keys. CORS and rate limits are the gate's (``middleware.py``). Only
published, public articles appear: drafts, scheduled, unpublished and view-restricted
articles (or under a restricted Ressort) are neither listed nor found, and a Liveticker's
entries only while the ticker is published and public.
"""

import hashlib
import json
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from ninja import NinjaAPI, Path, Query
from ninja.errors import ValidationError

from redaktion.analytics.keys import MOST_READ
from redaktion.analytics.selectors import BOX_HOURS, WEEK_HOURS
from redaktion.core.fragments import fragment
from redaktion.core.surrogate import add_keys
from redaktion.news import keys
from redaktion.news.live import ticker_key
from redaktion.search import selectors as search
from redaktion.search.backends.base import Filters

from . import schemas, selectors

# Ids are 32-bit integers in the database; a larger number names nothing.
MAX_ID = 2**31 - 1
# What a fragment keeps for a ticker readers cannot see (so a miss is not built again).
MISSING = "missing"
# An article id in the address: a larger number is a 400, not a database error.
ARTICLE_ID = Path(..., ge=1, le=MAX_ID)

api = NinjaAPI(
    title="Redaktion API",
    version="1",
    description=(
        "Read-only access to the published articles, Ressorts, topics and authors. "
        "Send `X-API-Key` for a partner's rate limit."
    ),
    urls_namespace="api-v1",
    docs_url=None,
    openapi_url="/openapi.json",
)


def respond(request, data, status: int = 200) -> HttpResponse:
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    response = HttpResponse(body, status=status, content_type="application/json")
    if status == 200:
        response["ETag"] = f'"{hashlib.sha256(body.encode()).hexdigest()[:32]}"'
    return response


def error(request, message: str, status: int = 400) -> HttpResponse:
    response = respond(request, {"detail": message}, status=status)
    response["Cache-Control"] = "no-store"
    return response


@api.exception_handler(selectors.BadRequest)
def bad_request(request, exc):
    return error(request, str(exc))


@api.exception_handler(ValidationError)
def invalid(request, exc):
    first = exc.errors[0] if exc.errors else {}
    where = ".".join(str(part) for part in first.get("loc", ())[1:]) or "request"
    return error(request, f"{where}: {first.get('msg', 'invalid')}")


@api.get(
    "/articles/",
    response={200: schemas.ArticleList, 400: schemas.Error},
    summary="Published articles, newest first",
    tags=["articles"],
)
def article_list(
    request,
    ressort: str | None = None,
    topic: str | None = None,
    author: str | None = None,
    published_from: datetime | None = None,
    published_before: datetime | None = None,
    cursor: str | None = None,
    limit: int = Query(selectors.DEFAULT_LIMIT, ge=1, le=selectors.MAX_LIMIT),
):
    """Filter by Ressort, topic and author slug and by first publication; follow `next`
    (pass it as `cursor`) for older articles."""
    add_keys(request, keys.RIVER)
    params = [ressort, topic, author, published_from, published_before, cursor, limit]
    data = fragment(
        "api:articles:" + "|".join(str(value) for value in params),
        lambda: selectors.articles(
            ressort=ressort,
            topic=topic,
            author=author,
            published_from=published_from,
            published_before=published_before,
            cursor=cursor,
            limit=limit,
            request=request,
        ),
        request=request,
    )
    return respond(request, data)


@api.get(
    "/articles/{article_id}/",
    response={200: schemas.ArticleDetail, 404: schemas.Error},
    summary="One published article with its body",
    tags=["articles"],
)
def article_detail(request, article_id: int = ARTICLE_ID):
    """The body as structured blocks (`body`) and as HTML (`body_html`)."""
    article = selectors.published_article(article_id)
    if article is None:
        return error(request, "No published article with this id.", status=404)
    return respond(request, selectors.article_detail(article, request))


@api.get(
    "/articles/{article_id}/related/",
    response={200: schemas.RelatedList, 404: schemas.Error},
    summary='"Mehr zum Thema": the related articles',
    tags=["articles"],
)
def article_related(request, article_id: int = ARTICLE_ID):
    article = selectors.published_article(article_id)
    if article is None:
        return error(request, "No published article with this id.", status=404)
    add_keys(request, keys.page(article.pk))
    return respond(request, selectors.related(article, request))


@api.get("/ressorts/", response=schemas.RessortList, summary="The Ressorts", tags=["lists"])
def ressort_list(request):
    return respond(request, selectors.ressorts(request))


@api.get("/topics/", response=schemas.TopicList, summary="Topics with articles", tags=["lists"])
def topic_list(request):
    add_keys(request, keys.RIVER)
    return respond(request, fragment("api:topics", selectors.topics, request=request))


@api.get("/authors/", response=schemas.AuthorList, summary="Authors with articles", tags=["lists"])
def author_list(request):
    add_keys(request, keys.RIVER)
    return respond(request, fragment("api:authors", selectors.authors, request=request))


@api.get(
    "/search/",
    response={200: schemas.SearchList, 400: schemas.Error},
    summary="German full-text search, as on /suche/",
    tags=["search"],
)
def search_articles(
    request,
    q: str = Query(..., min_length=1, max_length=200),
    page: int = Query(1, ge=1),
    ressort: int | None = None,
):
    add_keys(request, keys.SEARCH)
    try:
        results = search.search(
            text=q,
            filters=Filters(ressort_id=ressort),
            page_number=page,
            ressort_list=selectors.news.ressorts(),
        )
    except search.PageOutOfRange:
        return error(request, "page: beyond the last page of results")
    return respond(request, selectors.search_results(results, request))


@api.get(
    "/most-read/",
    response={200: schemas.MostReadList, 400: schemas.Error},
    summary="The most-read articles of the last 24 hours or 7 days",
    tags=["lists"],
)
def most_read(request, days: int = Query(1, ge=1, le=7), ressort: str | None = None):
    """`days=1` is the last 24 hours ("Meistgelesen"), `days=7` the week."""
    add_keys(request, MOST_READ)
    hours = BOX_HOURS if days == 1 else min(days * 24, WEEK_HOURS)
    return respond(request, selectors.most_read(hours=hours, ressort=ressort, request=request))


@api.get(
    "/liveticker/{ticker_id}/entries/",
    response={200: schemas.LiveEntryList, 400: schemas.Error, 404: schemas.Error},
    summary="The entries of a Liveticker",
    tags=["articles"],
)
def live_entries(
    request,
    ticker_id: int = Path(..., ge=1, le=MAX_ID),
    since: int | None = Query(None, ge=0, le=MAX_ID),
    cursor: str | None = None,
    limit: int = Query(selectors.DEFAULT_LIMIT, ge=1, le=selectors.MAX_LIMIT),
):
    """The newest entries first, `next` (pass it as `cursor`) for older ones; or, with
    `since` (an entry id, `latest` of an earlier answer), the entries added after it, oldest
    first (`more`: ask again). Only for a published, public ticker (the ticker's id is that
    of its article)."""
    keys_shown = [ticker_key(ticker_id), keys.article(ticker_id)]
    add_keys(request, *keys_shown)
    data = fragment(
        f"api:live:{ticker_id}:{since}:{cursor}:{limit}",
        lambda: (
            selectors.live_entries(
                ticker_id, since=since, cursor=cursor, limit=limit, request=request
            )
            or MISSING
        ),
        keys=keys_shown,
        request=request,
    )
    if data == MISSING:
        return error(request, "No published live ticker with this id.", status=404)
    return respond(request, data)
