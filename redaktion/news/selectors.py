"""Reads of the reader site for templates and the other apps (search, syndication, alerts,
"Mehr zum Thema"): the Ressorts of the menu, teasers with their Ressort, the river.

Every selector costs a fixed number of queries whatever the size of the archive; the tests
pin the counts. The page models read through the same QuerySet methods (``querysets.py``)
and listing helpers (``listings.py``, re-exported here where other apps use them), which
import no model, so the models never need this module.
"""

from collections import defaultdict

from wagtail.models import Page

from .listings import (
    ARTICLE_IMAGE_SPECS,
    HOME_RIVER_LENGTH,
    LEAD_STORY_IMAGE_SPECS,
    LISTING_PAGE_SIZE,
    RESSORT_BLOCK_LENGTH,
    RIVER_LENGTH,
    TEASER_IMAGE_SPECS,
    attach_ressorts,
)
from .models import ArticleAuthor, ArticlePage, RessortPage, menu_ressorts

__all__ = [
    "ARTICLE_IMAGE_SPECS",
    "HOME_RIVER_LENGTH",
    "LEAD_STORY_IMAGE_SPECS",
    "LISTING_PAGE_SIZE",
    "RESSORT_BLOCK_LENGTH",
    "RIVER_LENGTH",
    "TEASER_IMAGE_SPECS",
    "attach_ressorts",
    "ressorts",
    "river",
    "teasers",
]


def ressorts() -> list[RessortPage]:
    """Live, public Ressorts in page-tree order (the menu order). Two queries (view
    restrictions, Ressorts)."""
    return menu_ressorts()


def teasers(specs=TEASER_IMAGE_SPECS):
    """Published articles with what a teaser shows: lead image renditions, no body."""
    return ArticlePage.objects.teasers(*specs)


def river(
    *,
    exclude_ids=(),
    limit: int = RIVER_LENGTH,
    offset: int = 0,
    ressort_list=None,
) -> list[ArticlePage]:
    """The latest published articles, newest first, as teasers with their Ressorts.

    ``exclude_ids`` are the articles already shown on the page (the article itself, its
    "Mehr zum Thema" links, the lead story and the Ressort blocks), so the river never
    repeats them. Costs three queries (view restrictions, articles, lead image renditions;
    the last only when an article has a lead image), plus two (view restrictions, Ressorts)
    when ``ressort_list`` is not given.
    """
    if ressort_list is None:
        ressort_list = ressorts()
    articles = ArticlePage.objects.river(exclude_ids=exclude_ids, limit=limit, offset=offset)
    return attach_ressorts(articles, ressort_list)


def author_ids_by_article(article_ids) -> dict[int, list[int]]:
    """The author ids of each of ``article_ids`` in byline order (one query)."""
    authors: dict[int, list[int]] = defaultdict(list)
    for article_id, author_id in (
        ArticleAuthor.objects.filter(page_id__in=article_ids)
        .order_by("page_id", "sort_order", "pk")
        .values_list("page_id", "author_id")
    ):
        authors[article_id].append(author_id)
    return authors


def parent_ids(paths) -> dict[str, int]:
    """The ids of the pages directly above the tree ``paths`` (an article's Ressort), by
    the parent's path (one query)."""
    parent_paths = {path[: -Page.steplen] for path in paths}
    return dict(Page.objects.filter(path__in=parent_paths).values_list("path", "pk"))
