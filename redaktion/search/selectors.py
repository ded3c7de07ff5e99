"""Reads of the search: results with facets, suggestions, highlighting.

``search`` costs a fixed number of queries whatever the size of the archive or of the
result: the compound widening (two, only for words of four letters or more), the editors'
promotions (one, first page only), the editors' boosts (one: a short list that editors keep),
the total with the facet counts and the page of ids (one on PostgreSQL, two on SQLite), for
a page among the first ``backends.base.RERANK_DEPTH`` results by relevance the first
positions of the query's words in those results (one, the second stage of the ranking), the
teasers (three: view restrictions, articles, renditions) and the names of the facet topics
and authors (one each when there are any).
When less than a page of articles has every word, the search is asked again for any word
(once more) and those articles follow the ones with every word.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.search.utils import normalise_query_string

from redaktion.core.text import teaser_cut
from redaktion.news import selectors as news_selectors
from redaktion.news.models import ArticlePage, Author, Topic

from . import analysis
from .backends import Facets, Filters, Ranking, backend
from .models import QueryLogEntry, SearchBoost

PAGE_SIZE = 20
# Deep pages cost an ever larger OFFSET and nobody reads them: 50 pages of 20 is 1,000.
MAX_PAGES = 50
FACET_LENGTH = 10
SUGGESTIONS = 8
ORDERS = ("relevance", "date")
# The stems in the index have their umlauts folded; an unfinished word is not stemmed.
_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u"})


@dataclass
class ResultsPage:
    """A page of results in the shape the pagination template reads."""

    number: int
    num_pages: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


@dataclass
class SearchResults:
    query: analysis.Query
    articles: list = field(default_factory=list)
    total: int = 0
    page: ResultsPage = field(default_factory=lambda: ResultsPage(1, 1))
    facets: Facets = field(default_factory=Facets)
    topics: dict[int, Topic] = field(default_factory=dict)
    authors: dict[int, Author] = field(default_factory=dict)
    promotions: list = field(default_factory=list)
    any_word: bool = False
    marked: frozenset[str] = frozenset()


class PageOutOfRange(Exception):
    """The requested page of results does not exist."""


def promotions_for(text: str) -> list[SearchPromotion]:
    """The editors' promoted results for the query, in their order (Wagtail's search
    promotions; the query is matched as Wagtail normalises it). One query."""
    normalised = normalise_query_string(text or "")
    if not normalised:
        return []
    return list(
        SearchPromotion.objects.filter(query__query_string=normalised)
        .select_related("page")
        .order_by("sort_order", "pk")
    )


def search(
    *,
    text: str,
    filters: Filters | None = None,
    order: str = "relevance",
    page_number: int = 1,
    ressort_list,
    recency_weight: float = 0.0,
    half_life_days: float = 365.0,
    synonyms: Sequence[Sequence[str]] = (),
    now: datetime | None = None,
    per_page: int = PAGE_SIZE,
) -> SearchResults:
    """Published articles matching ``text`` (German analysis, see analysis.py), best first
    or newest first (``order``), one page of ``per_page`` with the Ressort set from
    ``ressort_list``; the total and the facet counts of all matches under ``filters``;
    promoted results on the first page (not repeated below). A query word is widened to its
    ``synonyms`` (groups of words that mean the same, the site settings'), and the editors'
    boosts (``SearchBoost``) of its words raise their articles' scores. Raises
    PageOutOfRange for a page beyond the last one (or beyond ``MAX_PAGES``)."""
    filters = filters or Filters()
    query = analysis.parse(text)
    results = SearchResults(query=query)
    if not query:
        return results
    if page_number < 1 or page_number > MAX_PAGES:
        raise PageOutOfRange(page_number)
    index = backend()
    expansions = with_synonyms(query, index.expand(query), synonyms)
    results.marked = frozenset(query.stems() | widened_terms(expansions))
    if page_number == 1:
        results.promotions = promotions_for(text)
    promoted = [p.page_id for p in results.promotions if p.page_id]
    if promoted:
        filters = Filters(**{**filters.__dict__, "exclude_ids": [*filters.exclude_ids, *promoted]})
    ranking = Ranking(
        now=now or timezone.now(),
        order=order if order in ORDERS else "relevance",
        recency_weight=recency_weight,
        half_life_days=half_life_days,
        boosts=boosts_for(query),
    )
    # Less than a page has every word: articles with some of the words follow them (the
    # ranking puts those with every word first).
    facets, ranked, results.any_word = index.search(
        query, expansions, filters, ranking, limit=per_page, offset=(page_number - 1) * per_page
    )
    results.facets = facets
    results.total = facets.total
    num_pages = max(1, min(MAX_PAGES, math.ceil(facets.total / per_page)))
    if page_number < 1 or page_number > num_pages:
        raise PageOutOfRange(page_number)
    results.page = ResultsPage(page_number, num_pages)
    results.articles = teasers_in_order([pk for pk, _ in ranked], ressort_list, results.marked)
    if facets.topics:
        results.topics = Topic.objects.in_bulk(list(facets.topics))
    if facets.authors:
        results.authors = Author.objects.in_bulk(list(facets.authors))
    return results


def with_synonyms(query, expansions, synonyms) -> dict[str, list]:
    """``expansions`` with, for each query word, the other words of every synonym group
    that has a word of the same stem (a synonym of several words needs all of them)."""
    if not synonyms:
        return expansions
    widened = {word: list(options) for word, options in expansions.items()}
    for group in synonyms:
        forms = [tuple(analysis.tokens(words)) for words in group]
        forms = [f for f in forms if f]
        for word in query.words:
            if (word,) not in forms:
                continue
            options = widened.setdefault(word, [])
            for form in forms:
                option = form[0] if len(form) == 1 else form
                if form != (word,) and option not in options:
                    options.append(option)
    return widened


def boosts_for(query) -> dict[int, float]:
    """Article id → factor of the editors' boosts whose word has the stem of a word of
    ``query`` (one query; several boosts of one article multiply)."""
    stems = set(query.words)
    boosts: dict[int, float] = {}
    for word, article_id, factor in SearchBoost.objects.values_list("word", "article_id", "factor"):
        if set(analysis.tokens(word)) & stems:
            boosts[article_id] = boosts.get(article_id, 1.0) * factor
    return boosts


def widened_terms(expansions) -> set[str]:
    """Every stem the widening added (compounds, and both parts of a split word)."""
    terms = set()
    for options in expansions.values():
        for option in options:
            terms.update((option,) if isinstance(option, str) else option)
    return terms


def teasers_in_order(ids: list[int], ressort_list, marked) -> list:
    """The published articles of ``ids`` as teasers, in the order of ``ids``, with the
    query's words marked in headline and lead (three queries)."""
    if not ids:
        return []
    by_pk = {a.pk: a for a in news_selectors.teasers().filter(pk__in=ids)}
    articles = [by_pk[pk] for pk in ids if pk in by_pk]
    for article in articles:
        article.highlighted_title = highlight(article.title, marked)
        article.highlighted_lead = highlight(teaser_cut(article.lead), marked)
    return news_selectors.attach_ressorts(articles, ressort_list)


def highlight(text: str, marked) -> SafeString:
    """``text`` escaped, with every word whose index form is in ``marked`` wrapped in
    ``<mark>`` (escaped first, then marked, so nothing of the text is ever markup)."""
    parts = []
    position = 0
    for start, end, token in analysis.word_spans(text):
        if token and token in marked:
            parts.append(escape(text[position:start]))
            parts.append(f"<mark>{escape(text[start:end])}</mark>")
            position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above


def suggestions(text: str, *, limit: int = SUGGESTIONS) -> list:
    """Headlines for search-as-you-type: the newest published articles whose headline has a
    word starting with the last (unfinished) word typed and every earlier word of ``text``.
    Two queries (ids, then the pages); nothing for less than two letters."""
    words = analysis._WORD_RE.findall(analysis.normalise(text))
    if not words or len(words[-1]) < 2:
        return []
    *done, prefix = words
    prefix = prefix.translate(_UMLAUTS)
    stems = [analysis.stem(w) for w in done if analysis.is_indexed_word(w)]
    ids = backend().suggestions(prefix, stems, limit=limit)
    if not ids:
        return []
    by_pk = ArticlePage.objects.live().only("title", "url_path").in_bulk(ids)
    return [by_pk[pk] for pk in ids if pk in by_pk]


# The query log report: the last REPORT_DAYS days; a query is "low-click" when it was asked
# at least LOW_CLICK_MIN_SEARCHES times and found something, but fewer than LOW_CLICK_RATE
# of its searches led to a click.
REPORT_DAYS = 30
REPORT_ROWS = 50
LOW_CLICK_MIN_SEARCHES = 5
LOW_CLICK_RATE = 0.2


@dataclass
class LoggedQuery:
    text: str
    searches: int
    zero_results: int
    clicks: int
    mean_rank: float | None

    @property
    def click_rate(self) -> float:
        return self.clicks / self.searches if self.searches else 0.0


def query_log_report(*, today=None) -> tuple[list[LoggedQuery], list[LoggedQuery]]:
    """(queries that found nothing, most often first; queries that found something but
    were rarely followed by a click, lowest click rate first) of the last ``REPORT_DAYS``
    days, ``REPORT_ROWS`` each. One query (grouped by the query text)."""
    today = today or timezone.localdate()
    since = today - timedelta(days=REPORT_DAYS - 1)
    searched = Q(clicked_rank__isnull=True)
    rows = (
        QueryLogEntry.objects.filter(day__gte=since, day__lte=today)
        .values("text")
        .annotate(
            searches=Count("pk", filter=searched),
            zero_results=Count("pk", filter=searched & Q(results=0)),
            clicks=Count("pk", filter=Q(clicked_rank__isnull=False)),
            mean_rank=Avg("clicked_rank"),
        )
    )
    queries = [LoggedQuery(**row) for row in rows]
    zero = sorted((q for q in queries if q.zero_results), key=lambda q: (-q.zero_results, q.text))[
        :REPORT_ROWS
    ]
    low = sorted(
        (
            q
            for q in queries
            if q.searches >= LOW_CLICK_MIN_SEARCHES
            and q.searches > q.zero_results
            and q.click_rate < LOW_CLICK_RATE
        ),
        key=lambda q: (q.click_rate, -q.searches, q.text),
    )[:REPORT_ROWS]
    return zero, low
