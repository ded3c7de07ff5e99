"""``/suche/``: the results page, and ``/suche/vorschlaege/``: suggestions as JSON.

Caching: a results page is the same for every reader, so it is public, but it is not put
into Django's page cache: every query, filter and page number is a key of its own, and
storing them would push the article and Ressort pages out of the cache (locmem keeps 300
entries; Redis evicts by LRU) for pages that are rarely asked twice. The view sets
``Cache-Control`` itself (which the page cache middleware leaves alone), with a short
``s-maxage`` so that a proxy/CDN, which is built for many keys, absorbs bursts of the same
query (a breaking-news term) while new articles show within a minute.
"""

from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from redaktion.core import surrogate
from redaktion.core.useragents import is_bot
from redaktion.news import keys
from redaktion.news import selectors as news_selectors

from . import facets as facet_links
from . import selectors, services
from .forms import QueryForm, QueryLogForm, SearchForm
from .models import SearchSettings

RESULTS_MAX_AGE = 60
SUGGESTIONS_MAX_AGE = 300
MAX_LOG_BYTES = 2048


def _cache(response, seconds):
    """Public for ``seconds``; purged with every change of the published set (``search``)
    and, through the articles it loaded, with a change of any article it shows."""
    surrogate.add_keys(response, keys.SEARCH)
    patch_cache_control(response, public=True, max_age=seconds, s_maxage=seconds)
    return response


@require_safe
def search_view(request):
    """The results page (``SearchForm`` reads the parameters). A value that is not valid
    is left out and the page says so; a page number that is not a page is 404."""
    ressort_list = news_selectors.ressorts()
    form = SearchForm(request.GET, ressorts=ressort_list)
    form.is_valid()
    text = form.text
    results = None
    if text:
        if "page" in form.errors:
            raise Http404("No such page")
        settings = SearchSettings.for_request(request)
        try:
            results = selectors.search(
                text=text,
                filters=form.filters(),
                order=form.order,
                page_number=form.page_number,
                ressort_list=ressort_list,
                recency_weight=settings.recency_weight,
                half_life_days=settings.half_life_days,
                synonyms=settings.synonym_groups(),
            )
        except selectors.PageOutOfRange as exc:
            raise Http404("No such page") from exc
    links = facet_links.Links(request.path, form.link_params())
    context = {
        "ressorts": ressort_list,
        "query_text": text,
        "order": form.order,
        "results": results,
        "notices": form.notices(),
        "links": links,
        "chosen": facet_links.chosen_filters(links, form.chosen()),
        "facet_groups": facet_links.groups(links, results, ressort_list) if results else [],
        # Beyond MATCH_CAP matches the counts are those of the newest MATCH_CAP.
        "facet_sample": (
            results.facets.counted if results and results.facets.counted < results.total else None
        ),
        "order_links": facet_links.order_links(links, form.order),
        "pagination": facet_links.pagination(links, results.page) if results else None,
        "date_from": form.cleaned_data.get("von"),
        "date_to": form.cleaned_data.get("bis"),
        "seo_title": _("Search: %(query)s") % {"query": text} if text else _("Search"),
        # The rank of the first result of the page, for the query log's clicks.
        "first_rank": (results.page.number - 1) * selectors.PAGE_SIZE + 1 if results else 1,
    }
    return _cache(render(request, "search/results.html", context), RESULTS_MAX_AGE)


@require_safe
def suggestions_view(request):
    """``{"query": …, "suggestions": [{"title": …, "url": …}, …]}``, newest first; a query
    that is not valid is answered with 400 and ``{"errors": [message, …]}``."""
    form = QueryForm(request.GET)
    if not form.is_valid():
        errors = [message for messages in form.errors.values() for message in messages]
        return JsonResponse({"errors": errors}, status=400)
    text = form.text
    articles = selectors.suggestions(text)
    data = {
        "query": text,
        "suggestions": [{"title": a.title, "url": a.get_url(request)} for a in articles],
    }
    return _cache(JsonResponse(data), SUGGESTIONS_MAX_AGE)


@csrf_exempt
@require_POST
def query_log_view(request):
    """``q=<query>&n=<results>[&r=<rank clicked>]``, sent by ``search/search.js`` when a
    results page is shown and when a result is clicked (the page itself is cached, so it
    cannot log). Logs the query, its number of results and the rank, nothing about the
    reader; answers ``204`` and is never cached. Robots are not logged."""
    if len(request.body) > MAX_LOG_BYTES:
        return _no_store(HttpResponseBadRequest())
    form = QueryLogForm(QueryDict(request.body, encoding="utf-8"))
    if not form.is_valid():
        return _no_store(HttpResponseBadRequest())
    if not is_bot(request.headers.get("User-Agent", "")):
        services.query_log_record(
            text=form.cleaned_data["q"],
            results=form.cleaned_data["n"],
            clicked_rank=form.cleaned_data["r"],
        )
    return _no_store(HttpResponse(status=204))


def _no_store(response):
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
