"""What the reader site's listings share without asking for a page model: their lengths and
picture sizes, the Ressort of each teaser, pagination, archive periods and the Ressort blocks
of the home page.

The page models (``models.py``) and the reads for templates and the other apps
(``selectors.py``) both build on this module, so it imports neither. A teaser needs its
Ressort: instead of ``get_parent()`` per article (one query each), the live Ressorts are
loaded once per request (there are few) and matched by path, because an article's tree path
starts with its Ressort's path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page

from redaktion.core.images import avif_specs, renditions

RIVER_LENGTH = 10
# Teasers the shared river fragment keeps beyond RIVER_LENGTH, for the articles a page leaves
# out (itself and its "Mehr zum Thema" links).
RIVER_SPARE = 10
HOME_RIVER_LENGTH = 20
LISTING_PAGE_SIZE = 20
RESSORT_BLOCK_LENGTH = 4

# Renditions the templates render; prefetching exactly these keeps listings at a fixed
# number of queries (news/includes/teaser.html, lead_story.html, article_page.html).
TEASER_IMAGE_SPECS = ("fill-400x225", "fill-800x450")
# Every width a slot is shown at, up to twice that for high-density screens: a lead is
# 100vw on phones (390 px: 960 at 2x) and 740 px on desktops (1480 at 2x); the article's
# picture is the column less its margins on phones (328 to 398 px: 720 serves phones up to
# 392 px wide at 2x, 800 the wider ones) and 736 px on desktops (800 and 1520). Each also as
# AVIF (``avif_specs``), in front of the WebP.
LEAD_STORY_IMAGE_SPECS = ("fill-640x360", "fill-960x540", "fill-1280x720", "fill-1480x832")
ARTICLE_IMAGE_SPECS = ("width-800", "width-400", "width-720", "width-1520")
ARTICLE_PICTURE_SPECS = ARTICLE_IMAGE_SPECS + avif_specs(ARTICLE_IMAGE_SPECS)
# The article's picture for search engines and social networks (the SEO head): Google shows
# article images at 16:9, 4:3 and 1:1 and asks for all three; the first also serves as
# og:image. JPEG, because not every network's crawler reads WebP.
SHARE_IMAGE_SPECS = (
    "fill-1200x675|format-jpeg",
    "fill-1200x900|format-jpeg",
    "fill-1200x1200|format-jpeg",
)
# The picture of the first teaser of a Ressort block on the home page: three blocks side by
# side on a wide screen, two on a tablet.
BLOCK_TEASER_SIZES = "(min-width: 64em) 380px, (min-width: 40em) 50vw, 100vw"
# Listings show their newest article as a lead, the rest as teasers.
LISTING_IMAGE_SPECS = TEASER_IMAGE_SPECS + LEAD_STORY_IMAGE_SPECS


def ressort_path(path: str) -> str:
    """The tree path of the Ressort an article with tree path ``path`` lives in (its
    parent's path)."""
    return path[: -Page.steplen]


def attach_ressorts(articles, ressort_list) -> list[Page]:
    """Sets ``article.ressort`` from ``ressort_list`` by tree path, without queries.

    An article whose Ressort is not in the list (a draft Ressort, seen in preview) keeps the
    lazy ``ressort`` property, which asks the database.
    """
    by_path = {ressort.path: ressort for ressort in ressort_list}
    articles = list(articles)
    for article in articles:
        ressort = by_path.get(ressort_path(article.path))
        if ressort is not None:
            article.ressort = ressort
    return articles


@dataclass
class RessortBlock:
    ressort: Page
    articles: list[Page] = field(default_factory=list)


def ressort_blocks(articles, ressort_list) -> list[RessortBlock]:
    """``articles`` grouped by Ressort in the order of ``ressort_list``, newest first in each
    block, each with its Ressort attached; Ressorts without articles are left out."""
    blocks = {ressort.path: RessortBlock(ressort) for ressort in ressort_list}
    for article in articles:
        block = blocks.get(ressort_path(article.path))
        if block is not None:
            article.ressort = block.ressort
            block.articles.append(article)
    for block in blocks.values():
        block.articles.sort(key=lambda a: (a.first_published_at, a.pk), reverse=True)
    return [block for block in blocks.values() if block.articles]


@dataclass(frozen=True)
class Counted:
    """What a page of teasers keeps of its paginator: the counts, not the QuerySet, so that
    the page can be kept in the cache (``core.fragments``)."""

    count: int
    num_pages: int
    per_page: int

    def validate_number(self, number: int) -> int:
        return number


def paginate(queryset, page_number, *, ressort_list, per_page: int = LISTING_PAGE_SIZE):
    """One page of teasers from ``queryset``; ``Http404`` for a page that is not a number
    or out of range. Costs a count, the page and its renditions (three queries)."""
    paginator = Paginator(queryset, per_page)
    try:
        page = paginator.page(page_number or 1)
    except (PageNotAnInteger, EmptyPage) as exc:
        raise Http404(str(exc)) from exc
    page.object_list = attach_ressorts(page.object_list, ressort_list)
    page.paginator = Counted(paginator.count, paginator.num_pages, per_page)
    return page


def page_name(page_number) -> str:
    """``?page=`` as part of a fragment's name: every spelling of a number as that number,
    so that ``01`` and ``1`` share one (anything else is refused by ``paginate``)."""
    value = str(page_number or 1).strip()
    return str(int(value)) if value.isdigit() else value


# The years the archive answers for: the first and last instants of each, in the site's time
# zone, must still be datetimes in UTC (and the end of the last one a date at all).
ARCHIVE_YEARS = range(1000, 9999)


def month_bounds(year: int, month: int | None) -> tuple[datetime, datetime]:
    """Start (inclusive) and end (exclusive) of a month or year in the site's time zone; 404
    for a year outside ``ARCHIVE_YEARS`` or a month outside 1–12."""
    if year not in ARCHIVE_YEARS:
        raise Http404("The archive covers the years 1000 to 9998")
    if month is not None and not 1 <= month <= 12:
        raise Http404("No such month")
    tz = timezone.get_current_timezone()
    if month is None:
        return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)
    start = datetime(year, month, 1, tzinfo=tz)
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

    @classmethod
    def of(cls, value: datetime | None, count: int = 0) -> ArchiveMonth | None:
        """The month of ``value`` in the site's time zone (None for None)."""
        if value is None:
            return None
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return cls(local.year, local.month, count)


def image_with_renditions(image_id, specs):
    """The image with ``specs`` renditions prefetched (two queries), or None."""
    if not image_id:
        return None
    return get_image_model().objects.prefetch_renditions(*specs).filter(pk=image_id).first()


def with_renditions(articles, specs=TEASER_IMAGE_SPECS):
    """``articles`` (a list), each lead image holding its ``specs`` renditions: those
    missing are made now, so that a list kept in the cache (``core.fragments``) has them
    and costs no query where it is shown. No query when all exist and were prefetched."""
    for article in articles:
        image = article.lead_image if article.lead_image_id else None
        if image is not None:
            renditions(image, *specs)
    return articles
