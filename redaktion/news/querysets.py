"""The vocabulary for reading pages: every listing of articles starts from
``ArticlePage.objects.published()``.

Each method that reads costs a fixed number of queries whatever the size of the archive;
``public()`` costs one of its own (the view restrictions), once per reader request
(``redaktion.core.restrictions``) and every time it is called elsewhere.
"""

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import PageQuerySet

from redaktion.core.restrictions import PublicQuerySetMixin

from .listings import (
    LEAD_STORY_IMAGE_SPECS,
    RESSORT_BLOCK_LENGTH,
    RIVER_LENGTH,
    TEASER_IMAGE_SPECS,
    ArchiveMonth,
    RessortBlock,
    month_bounds,
    ressort_blocks,
)


class ArticlePageQuerySet(PublicQuerySetMixin, PageQuerySet):
    def published(self):
        """The one rule of what readers may see, used by every app: live articles without a
        view restriction on them or an ancestor, first published at or before now; newest
        first by first publication."""
        return (
            self.live()
            .public()
            .filter(first_published_at__lte=timezone.now())
            .order_by("-first_published_at", "-pk")
        )

    def in_ressort(self, ressort):
        return self.child_of(ressort)

    def with_topic(self, topic):
        return self.filter(tagged_items__tag=topic)

    def by_author(self, author):
        return self.filter(article_authors__author=author)

    def first_published_between(self, start, end):
        """First published at or after ``start`` and before ``end``."""
        return self.filter(first_published_at__gte=start, first_published_at__lt=end)

    def excluding(self, ids):
        """Without the articles of ``ids`` (``None`` among them is ignored)."""
        return self.exclude(pk__in=[pk for pk in ids if pk is not None])

    def with_teaser_data(self, *rendition_specs):
        """What a teaser shows (lead image and its renditions), without the body.

        Pass the filter specs the template renders so that only those renditions are
        fetched; without specs every rendition of the image is prefetched.
        """
        renditions = get_image_model().get_rendition_model().objects.all()
        if rendition_specs:
            renditions = renditions.filter(filter_spec__in=rendition_specs)
        return (
            self.defer_streamfields()
            .select_related("lead_image")
            .prefetch_related(Prefetch("lead_image__renditions", queryset=renditions))
        )

    def teasers(self, *rendition_specs):
        """Published articles with what a teaser shows (``TEASER_IMAGE_SPECS`` unless other
        specs are given)."""
        return self.published().with_teaser_data(*(rendition_specs or TEASER_IMAGE_SPECS))

    def river(self, *, exclude_ids=(), limit: int = RIVER_LENGTH, offset: int = 0):
        """The latest published articles as teasers, newest first, without ``exclude_ids``
        (what the page already shows). Three queries (view restrictions, articles, lead
        image renditions; the last only when an article has a lead image)."""
        return self.teasers().excluding(exclude_ids)[offset : offset + limit]

    def lead_story(self, chosen_id=None):
        """The home page's lead: the editor's choice if it is published, else the newest
        article (None without any), as a teaser with the lead's larger picture."""
        queryset = self.published().with_teaser_data(*LEAD_STORY_IMAGE_SPECS)
        article = queryset.filter(pk=chosen_id).first() if chosen_id else None
        return article if article is not None else queryset.first()

    def ressort_blocks(
        self, ressort_list, *, per_ressort: int = RESSORT_BLOCK_LENGTH, exclude_ids=()
    ) -> list[RessortBlock]:
        """The newest ``per_ressort`` articles of every Ressort, in menu order, for the home
        page, with their Ressorts attached.

        One query for all Ressorts: the pks come from one small ``LIMIT`` subquery per
        Ressort, each answered from the tree-path index, so the cost does not grow with the
        archive (a window function over every article did: 160 ms at 10,000 articles). Three
        queries in all with the view-restriction check and the renditions.
        """
        if not ressort_list:
            return []
        # Live is enough inside: the outer teasers() query applies public(), which asks the
        # database for view restrictions each time it is called.
        candidates = self.live().excluding(exclude_ids)
        newest = Q()
        for ressort in ressort_list:
            # Ordered by the indexed column alone, so the scan stops after ``per_ressort``
            # rows; a tie-breaker on pk would sort the whole Ressort first (the blocks sort).
            newest |= Q(
                pk__in=candidates.child_of(ressort)
                .order_by("-first_published_at")
                .values("pk")[:per_ressort]
            )
        return ressort_blocks(self.teasers().filter(newest), ressort_list)

    def archive_neighbours(self, start, end) -> tuple[ArchiveMonth | None, ArchiveMonth | None]:
        """The nearest month with articles before ``start`` and the one at or after ``end``
        (None where there is none). Two queries."""
        before = (
            self.filter(first_published_at__lt=start)
            .order_by("-first_published_at")
            .values_list("first_published_at", flat=True)
            .first()
        )
        after = (
            self.filter(first_published_at__gte=end)
            .order_by("first_published_at")
            .values_list("first_published_at", flat=True)
            .first()
        )
        return ArchiveMonth.of(before), ArchiveMonth.of(after)

    def archive_months(self, year: int) -> list[ArchiveMonth]:
        """Months of ``year`` that have articles, with their counts, in calendar order. One
        query (the grouped count)."""
        start, end = month_bounds(year, None)
        tz = timezone.get_current_timezone()
        rows = (
            self.first_published_between(start, end)
            .annotate(month=TruncMonth("first_published_at", tzinfo=tz))
            .values("month")
            .annotate(count=Count("pk"))
            .order_by("month")
        )
        return [ArchiveMonth.of(row["month"], row["count"]) for row in rows]


class RessortPageQuerySet(PublicQuerySetMixin, PageQuerySet):
    def in_menu(self):
        """Live, public Ressorts in page-tree order (the menu order). Two queries (view
        restrictions, Ressorts)."""
        return self.live().public().order_by("path")
