"""Reads for the reader site: Ressorts, teasers, the river, "Mehr zum Thema", archives.

Every selector costs a fixed number of queries whatever the size of the archive; the tests
pin the counts. A teaser needs its Ressort: instead of ``get_parent()`` per article (one
query each), the live Ressorts are loaded once per request (there are few) and matched by
path, because an article's tree path starts with its Ressort's path.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page

from .models import ArticlePage, RessortPage

RIVER_LENGTH = 10
HOME_RIVER_LENGTH = 20
LISTING_PAGE_SIZE = 20
RESSORT_BLOCK_LENGTH = 4
RELATED_LENGTH = 6

# Renditions the templates render; prefetching exactly these keeps listings at a fixed
# number of queries (news/includes/teaser.html, lead_story.html, article_page.html).
TEASER_IMAGE_SPECS = ("fill-400x225", "fill-800x450")
LEAD_STORY_IMAGE_SPECS = ("fill-640x360", "fill-1280x720")
ARTICLE_IMAGE_SPECS = ("width-760", "width-1520")


def ressorts() -> list[RessortPage]:
    """Live, public Ressorts in page-tree order (the menu order). Two queries (view
    restrictions, Ressorts)."""
    return list(RessortPage.objects.live().public().order_by("path"))


def attach_ressorts(articles, ressort_list) -> list[ArticlePage]:
    """Sets ``article.ressort`` from ``ressort_list`` by tree path, without queries.

    An article whose Ressort is not in the list (a draft Ressort, seen in preview) keeps the
    lazy ``ressort`` property, which asks the database.
    """
    by_path = {ressort.path: ressort for ressort in ressort_list}
    articles = list(articles)
    for article in articles:
        ressort = by_path.get(article.path[: -Page.steplen])
        if ressort is not None:
            article.ressort = ressort
    return articles


def teasers(specs=TEASER_IMAGE_SPECS):
    """Published articles with what a teaser shows: lead image renditions, no body."""
    return ArticlePage.objects.published().with_teaser_data(*specs)


def river(
    *,
    exclude_ids=(),
    limit: int = RIVER_LENGTH,
    offset: int = 0,
    ressort_list=None,
) -> list[ArticlePage]:
    """The latest published articles, newest first, as teasers.

    ``exclude_ids`` are the articles already shown on the page (the article itself, its
    "Mehr zum Thema" links, the lead story and the Ressort blocks), so the river never
    repeats them. Costs three queries (view restrictions, articles, lead image renditions;
    the last only when an article has a lead image), plus two (view restrictions, Ressorts)
    when ``ressort_list`` is not given.
    """
    if ressort_list is None:
        ressort_list = ressorts()
    queryset = teasers().exclude(pk__in=[pk for pk in exclude_ids if pk is not None])
    return attach_ressorts(queryset[offset : offset + limit], ressort_list)


def related_articles(article: ArticlePage, limit: int = RELATED_LENGTH) -> list[ArticlePage]:
    """ "Mehr zum Thema" for ``article``: the editor's picks in their order, then the engine's
    suggestions; published only, never the article itself nor a blocked article. See
    ``redaktion.related.selectors.related_for`` (at most six queries)."""
    from redaktion.related.selectors import related_for

    return related_for(article, limit=limit)


@dataclass
class RessortBlock:
    ressort: RessortPage
    articles: list[ArticlePage] = field(default_factory=list)


def ressort_blocks(
    *, ressort_list, per_ressort: int = RESSORT_BLOCK_LENGTH, exclude_ids=()
) -> list[RessortBlock]:
    """The newest ``per_ressort`` articles of every Ressort, in menu order, for the home page.

    One query for all Ressorts: the pks come from one small ``LIMIT`` subquery per Ressort,
    each answered from the tree-path index, so the cost does not grow with the archive (a
    window function over every article did: 160 ms at 10,000 articles). Three queries in
    all with the view-restriction check and the renditions.
    """
    if not ressort_list:
        return []
    # Live is enough inside: the outer teasers() query applies public(), which asks the
    # database for view restrictions each time it is called.
    candidates = ArticlePage.objects.live().exclude(
        pk__in=[pk for pk in exclude_ids if pk is not None]
    )
    newest = Q()
    for ressort in ressort_list:
        # Ordered by the indexed column alone, so the scan stops after ``per_ressort`` rows; a
        # tie-breaker on pk would sort the whole Ressort first (the blocks sort below).
        newest |= Q(
            pk__in=candidates.child_of(ressort)
            .order_by("-first_published_at")
            .values("pk")[:per_ressort]
        )
    ranked = teasers().filter(newest)
    steplen = Page.steplen
    blocks = {ressort.path: RessortBlock(ressort) for ressort in ressort_list}
    for article in ranked:
        block = blocks.get(article.path[:-steplen])
        if block is not None:
            article.ressort = block.ressort
            block.articles.append(article)
    for block in blocks.values():
        block.articles.sort(key=lambda a: (a.first_published_at, a.pk), reverse=True)
    return [block for block in blocks.values() if block.articles]


def lead_story(*, chosen_id=None, ressort_list) -> ArticlePage | None:
    """The home page's lead: the editor's choice if it is published, else the newest."""
    queryset = ArticlePage.objects.published().with_teaser_data(*LEAD_STORY_IMAGE_SPECS)
    article = None
    if chosen_id:
        article = queryset.filter(pk=chosen_id).first()
    if article is None:
        article = queryset.first()
    if article is None:
        return None
    return attach_ressorts([article], ressort_list)[0]


def front_page(*, chosen_lead_id=None, ressort_list) -> dict:
    """Lead story, one block per Ressort, then the river; no article appears twice."""
    lead = lead_story(chosen_id=chosen_lead_id, ressort_list=ressort_list)
    shown = {lead.pk} if lead else set()
    blocks = ressort_blocks(ressort_list=ressort_list, exclude_ids=shown)
    for block in blocks:
        shown.update(article.pk for article in block.articles)
    latest = river(exclude_ids=shown, limit=HOME_RIVER_LENGTH, ressort_list=ressort_list)
    return {"lead_story": lead, "ressort_blocks": blocks, "river": latest}


def paginate(queryset, page_number, *, ressort_list, per_page: int = LISTING_PAGE_SIZE):
    """One page of teasers from ``queryset``; ``Http404`` for a page that is not a number
    or out of range. Costs a count, the page and its renditions (three queries)."""
    paginator = Paginator(queryset, per_page)
    try:
        page = paginator.page(page_number or 1)
    except (PageNotAnInteger, EmptyPage) as exc:
        raise Http404(str(exc)) from exc
    page.object_list = attach_ressorts(page.object_list, ressort_list)
    return page


def month_bounds(year: int, month: int | None) -> tuple[datetime, datetime]:
    """Start (inclusive) and end (exclusive) of a month or year in the site's time zone."""
    tz = timezone.get_current_timezone()
    try:
        if month is None:
            return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)
        start = datetime(year, month, 1, tzinfo=tz)
    except ValueError as exc:
        raise Http404("No such month") from exc
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return start, end


@dataclass
class ArchiveMonth:
    year: int
    month: int
    count: int = 0

    @property
    def start(self) -> datetime:
        return datetime(self.year, self.month, 1, tzinfo=timezone.get_current_timezone())


def _month_of(value: datetime | None) -> ArchiveMonth | None:
    if value is None:
        return None
    local = timezone.localtime(value)
    return ArchiveMonth(local.year, local.month)


def archive_neighbours(start: datetime, end: datetime) -> tuple:
    """The nearest month with articles before ``start`` and at or after ``end`` (or None).
    Two queries."""
    published = ArticlePage.objects.live().public()
    before = (
        published.filter(first_published_at__lt=start)
        .order_by("-first_published_at")
        .values_list("first_published_at", flat=True)
        .first()
    )
    after = (
        published.filter(first_published_at__gte=end)
        .order_by("first_published_at")
        .values_list("first_published_at", flat=True)
        .first()
    )
    return _month_of(before), _month_of(after)


def archive_months(year: int) -> list[ArchiveMonth]:
    """Months of ``year`` that have articles, with their counts, in calendar order. Two
    queries (view restrictions, the grouped count)."""
    start, end = month_bounds(year, None)
    tz = timezone.get_current_timezone()
    rows = (
        ArticlePage.objects.live()
        .public()
        .filter(first_published_at__gte=start, first_published_at__lt=end)
        .annotate(month=TruncMonth("first_published_at", tzinfo=tz))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("month")
    )
    months = []
    for row in rows:
        month = row["month"]
        local = timezone.localtime(month, tz) if timezone.is_aware(month) else month
        months.append(ArchiveMonth(local.year, local.month, row["count"]))
    return months


def image_with_renditions(image_id, specs):
    """The image with ``specs`` renditions prefetched (two queries), or None."""
    if not image_id:
        return None
    return get_image_model().objects.prefetch_renditions(*specs).filter(pk=image_id).first()
