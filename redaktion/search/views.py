"""``/suche/``: the results page, and ``/suche/vorschlaege/``: suggestions as JSON.

Caching: a results page is the same for every reader, so it is public, but it is not put
into Django's page cache: every query, filter and page number is a key of its own, and
storing them would push the article and Ressort pages out of the cache (locmem keeps 300
entries; Redis evicts by LRU) for pages that are rarely asked twice. The view sets
``Cache-Control`` itself (which the page cache middleware leaves alone), with a short
``s-maxage`` so that a proxy/CDN, which is built for many keys, absorbs bursts of the same
query (a breaking-news term) while new articles show within a minute.
"""

from datetime import datetime, time, timedelta

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from redaktion.news import selectors as news_selectors
from redaktion.news.models import Author, Topic

from . import facets as facet_links
from . import selectors
from .backends import Filters
from .models import SearchSettings

RESULTS_MAX_AGE = 60
SUGGESTIONS_MAX_AGE = 300
MAX_QUERY_LENGTH = 200


def _cache(response, seconds):
    patch_cache_control(response, public=True, max_age=seconds, s_maxage=seconds)
    return response


def _date(value: str):
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except (TypeError, ValueError):
        return None


def _page_number(value) -> int:
    try:
        return int(value or 1)
    except ValueError as exc:
        raise Http404("No such page") from exc


@require_safe
def search_view(request):
    params = request.GET
    text = params.get("q", "").strip()[:MAX_QUERY_LENGTH]
    ressort_list = news_selectors.ressorts()
    order = "date" if params.get("sort") == "datum" else "relevance"
    tz = timezone.get_current_timezone()
    chosen = {}
    filters = Filters()
    ressort_slug = params.get("ressort")
    if ressort_slug:
        ressort = next((r for r in ressort_list if r.slug == ressort_slug), None)
        if ressort is not None:
            filters.ressort_id = ressort.pk
            chosen["ressort"] = ressort.title
    topic_slug = params.get("thema")
    if topic_slug:
        topic = Topic.objects.filter(slug=topic_slug).first()
        if topic is not None:
            filters.topic_id = topic.pk
            chosen["thema"] = topic.name
    author_slug = params.get("autor")
    if author_slug:
        author = Author.objects.filter(slug=author_slug).first()
        if author is not None:
            filters.author_id = author.pk
            chosen["autor"] = author.name
    date_from, date_to = _date(params.get("von")), _date(params.get("bis"))
    if date_from:
        filters.published_from = datetime.combine(date_from, time.min, tzinfo=tz)
        chosen["von"] = date_from
    if date_to:
        filters.published_before = datetime.combine(
            date_to + timedelta(days=1), time.min, tzinfo=tz
        )
        chosen["bis"] = date_to

    results = None
    if text:
        settings = SearchSettings.for_request(request)
        try:
            results = selectors.search(
                text=text,
                filters=filters,
                order=order,
                page_number=_page_number(params.get("page")),
                ressort_list=ressort_list,
                recency_weight=settings.recency_weight,
                half_life_days=settings.half_life_days,
            )
        except selectors.PageOutOfRange as exc:
            raise Http404("No such page") from exc
    context = {
        "ressorts": ressort_list,
        "query_text": text,
        "order": order,
        "results": results,
        "chosen": facet_links.chosen_filters(request, chosen),
        "facet_groups": facet_links.groups(request, results, ressort_list) if results else [],
        # Beyond MATCH_CAP matches the counts are those of the newest MATCH_CAP.
        "facet_sample": (
            results.facets.counted if results and results.facets.counted < results.total else None
        ),
        "order_links": facet_links.order_links(request, order),
        "pagination": facet_links.pagination(request, results.page) if results else None,
        "date_from": date_from,
        "date_to": date_to,
        "seo_title": _("Search: %(query)s") % {"query": text} if text else _("Search"),
    }
    return _cache(render(request, "search/results.html", context), RESULTS_MAX_AGE)


@require_safe
def suggestions_view(request):
    """``{"query": …, "suggestions": [{"title": …, "url": …}, …]}``, newest first."""
    text = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    articles = selectors.suggestions(text)
    data = {
        "query": text,
        "suggestions": [{"title": a.title, "url": a.get_url(request)} for a in articles],
    }
    return _cache(JsonResponse(data), SUGGESTIONS_MAX_AGE)
