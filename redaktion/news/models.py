"""The page tree of a news site: HomePage → RessortPage → ArticlePage, plus StandardPage.

Topics (Themen) are tags and authors are snippets; their public pages (``/thema/<slug>/``,
``/autor/<slug>/``) are routes of the HomePage, so editors never have to create a page per
topic or per author by hand.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import ItemBase, TagBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
    TitleFieldPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from redaktion.core import surrogate
from redaktion.core.fragments import fragment, site_scope
from redaktion.core.proxy import RequestSchemeMixin
from redaktion.core.restrictions import RestrictionsMixin
from redaktion.core.text import count_words, reading_minutes

from . import keys, teasers
from .blocks import ArticleBodyBlock, body_text
from .breaking import BreakingNews
from .listings import (
    ARTICLE_PICTURE_SPECS,
    BLOCK_TEASER_SIZES,
    HOME_RIVER_LENGTH,
    LISTING_IMAGE_SPECS,
    SHARE_IMAGE_SPECS,
    attach_ressorts,
    image_with_renditions,
    month_bounds,
    page_name,
    paginate,
)
from .querysets import ArticlePageQuerySet, RessortPageQuerySet

# First path segments the site uses itself; a Ressort may not take them as its slug.
RESERVED_SLUGS = {
    "admin",
    "anzeigen",
    "api",
    "archiv",
    "autor",
    "benachrichtigungen",
    "documents",
    "feeds",
    "live",
    "media",
    "static",
    "suche",
    "thema",
    "sitemap.xml",
    "robots.txt",
    "sw.js",
}


class Topic(TagBase):
    """A Thema such as "Syrien" or "Nato": a tag with a public page at ``/thema/<slug>/``."""

    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]


class TaggedArticle(ItemBase):
    tag = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="tagged_articles")
    content_object = ParentalKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_topic")
        ]


class Author(index.Indexed, models.Model):
    """A byline: staff or guest author, with a public page at ``/autor/<slug>/``."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=False)
    role = models.CharField(
        _("role"), max_length=120, blank=True, help_text=_("e.g. Korrespondent")
    )
    bio = models.TextField(_("biography"), blank=True)
    portrait = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("portrait"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_guest = models.BooleanField(_("guest author"), default=False)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("role"), FieldPanel("is_guest")]),
        FieldPanel("bio"),
        FieldPanel("portrait"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)


register_snippet(Author)
register_snippet(Topic)
register_snippet(BreakingNews)


ArticlePageManager = PageManager.from_queryset(ArticlePageQuerySet)
RessortPageManager = PageManager.from_queryset(RessortPageQuerySet)


def menu_ressorts() -> list:
    """The Ressorts of the menu, which every page shows (``RessortPage.objects.in_menu()``),
    a fragment purged with the site key (a Ressort changed is a ``pages`` event)."""
    return fragment("menu", lambda: list(RessortPage.objects.in_menu()))


class HomePage(RestrictionsMixin, RequestSchemeMixin, RoutablePageMixin, Page):
    """The front page; also serves the topic, author and archive pages."""

    lead_story = models.ForeignKey(
        "news.ArticlePage",
        verbose_name=_("lead story"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Leave empty to lead with the newest article."),
    )

    content_panels = [*Page.content_panels, PageChooserPanel("lead_story", "news.ArticlePage")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.RessortPage", "news.StandardPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["ressorts"] = menu_ressorts()
        return context

    def _respond(self, request, template, build):
        """Render ``template`` with the page context plus what ``build(context)`` returns;
        the routes share the Ressorts loaded once by ``get_context``."""
        context = self.get_context(request)
        context.update(build(context))
        return TemplateResponse(request, template, context)

    @path("", name="home")
    def home(self, request):
        surrogate.add_keys(request, keys.HOME)
        # A fragment with its teasers rendered: purged with the home key whenever an article
        # joins or leaves the published set, and with the key of every article it shows.
        return self._respond(
            request,
            self.get_template(request),
            lambda context: fragment(
                f"front:{self.pk}:{self.lead_story_id}:{site_scope(request)}",
                lambda: self.front_page(context["ressorts"], request=request),
                keys=[keys.HOME],
                request=request,
            ),
        )

    def front_page(self, ressort_list, *, request=None) -> dict:
        """Lead story, one block per Ressort, then the river; no article appears twice.
        With ``request``, each teaser's HTML is rendered for it (``teasers.prerender``)."""
        articles = ArticlePage.objects
        lead = articles.lead_story(self.lead_story_id)
        shown = set()
        if lead is not None:
            attach_ressorts([lead], ressort_list)
            shown.add(lead.pk)
        blocks = articles.ressort_blocks(ressort_list, exclude_ids=shown)
        for block in blocks:
            shown.update(article.pk for article in block.articles)
        river = attach_ressorts(
            articles.river(exclude_ids=shown, limit=HOME_RIVER_LENGTH), ressort_list
        )
        if request is not None:
            teasers.prerender(request, [lead] if lead is not None else [], "lead")
            for block in blocks:
                teasers.prerender(request, block.articles[:1], sizes=BLOCK_TEASER_SIZES)
                teasers.prerender(request, block.articles[1:], image=False, compact=True)
            teasers.prerender(request, river)
        return {
            "lead_story": lead,
            "ressort_blocks": blocks,
            "river": river,
            "block_teaser_sizes": BLOCK_TEASER_SIZES,
        }

    def _listing(self, request, template, articles, **extra):
        """A page of teasers from ``articles`` (``?page=``) with ``extra`` in the context."""
        return self._respond(
            request,
            template,
            lambda context: {
                **extra,
                "articles": paginate(
                    articles, request.GET.get("page"), ressort_list=context["ressorts"]
                ),
            },
        )

    @path("thema/<slug:slug>/", name="topic")
    def topic_page(self, request, slug):
        topic = get_object_or_404(Topic, slug=slug)
        surrogate.add_keys(request, keys.topic(topic.pk))
        articles = ArticlePage.objects.teasers(*LISTING_IMAGE_SPECS).with_topic(topic)
        return self._listing(request, "news/topic_page.html", articles, topic=topic)

    @path("autor/<slug:slug>/", name="author")
    def author_page(self, request, slug):
        author = get_object_or_404(Author.objects.select_related("portrait"), slug=slug)
        surrogate.add_keys(request, keys.author(author.pk))
        articles = ArticlePage.objects.teasers(*LISTING_IMAGE_SPECS).by_author(author)
        return self._listing(request, "news/author_page.html", articles, author=author)

    @path("archiv/<int:year>/", name="archive_year")
    def archive_year(self, request, year):
        return self._archive(request, year, None)

    @path("archiv/<int:year>/<int:month>/", name="archive_month")
    def archive_month(self, request, year, month):
        return self._archive(request, year, month)

    def _archive(self, request, year, month):
        """Articles first published in a month or year (Europe/Berlin), with links to the
        nearest months or years that have articles; 404 for a period without any."""
        start, end = month_bounds(year, month)
        months = [month] if month else range(1, 13)
        surrogate.add_keys(request, *(keys.archive_month(year, m) for m in months))

        def build(context):
            articles = paginate(
                ArticlePage.objects.teasers(*LISTING_IMAGE_SPECS).first_published_between(
                    start, end
                ),
                request.GET.get("page"),
                ressort_list=context["ressorts"],
            )
            if not articles.paginator.count:
                raise Http404("No articles in this period")
            previous, following = ArticlePage.objects.published().archive_neighbours(start, end)
            return {
                "archive_start": start,
                "archive_year": year,
                "archive_month": month,
                "archive_months": (
                    ArticlePage.objects.published().archive_months(year) if month is None else []
                ),
                "previous_period": previous,
                "next_period": following,
                "articles": articles,
            }

        return self._respond(request, "news/archive_page.html", build)


class RessortPage(RestrictionsMixin, RequestSchemeMixin, Page):
    """A section such as Politik or Technologie; its order in the page tree is the menu order."""

    description = models.TextField(_("description"), blank=True)

    objects = RessortPageManager()

    content_panels = [*Page.content_panels, FieldPanel("description")]
    search_fields = [*Page.search_fields, index.SearchField("description")]
    parent_page_types = ["news.HomePage"]
    subpage_types = ["news.ArticlePage", "news.LiveTickerPage"]

    class Meta:
        verbose_name = _("Ressort")
        verbose_name_plural = _("Ressorts")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["ressorts"] = menu_ressorts()
        surrogate.add_keys(request, keys.ressort(self.pk))
        number = request.GET.get("page")
        # A fragment with its teasers rendered, purged when an article joins or leaves the
        # Ressort and with the key of every article it shows.
        context["articles"] = fragment(
            f"listing:{self.pk}:{page_name(number)}:{site_scope(request)}",
            lambda: teasers.prerender_listing(
                request,
                paginate(
                    ArticlePage.objects.teasers(*LISTING_IMAGE_SPECS).in_ressort(self),
                    number,
                    ressort_list=[self],
                ),
            ),
            keys=[keys.ressort(self.pk)],
            request=request,
        )
        return context

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {
                    "slug": _("“%(slug)s” is used by the site itself; choose another slug.")
                    % {"slug": self.slug}
                }
            )


class ArticleAuthor(Orderable):
    page = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="article_authors")
    author = models.ForeignKey(
        Author, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )

    panels = [FieldPanel("author")]

    @classmethod
    def bylines(cls, authors) -> list["ArticleAuthor"]:
        """Bylines for ``authors`` in their order, numbered as the editor's form numbers
        them (for an import or a factory; assign to ``page.article_authors``)."""
        return [cls(author=author, sort_order=number) for number, author in enumerate(authors)]

    class Meta(Orderable.Meta):
        # The editor's form numbers the bylines; rows made in code without a number (an
        # import, a test) keep the order they were saved in, on every database.
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["page", "author"], name="unique_article_author")
        ]


class ArticlePage(RestrictionsMixin, RequestSchemeMixin, Page):
    kicker = models.CharField(
        _("kicker"), max_length=80, blank=True, help_text=_("Dachzeile above the headline.")
    )
    lead = models.TextField(_("lead"), help_text=_("Vorspann: two or three sentences."))
    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("lead image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_image_caption = models.CharField(_("caption"), max_length=300, blank=True)
    lead_image_credit = models.CharField(
        _("credit"), max_length=100, blank=True, help_text=_("e.g. dpa; shown as “Foto: dpa”.")
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"))
    topics = ClusterTaggableManager(through=TaggedArticle, verbose_name=_("topics"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)
    correction_note = models.TextField(
        _("correction note"),
        blank=True,
        help_text=_("Shown publicly with the update time, e.g. what was corrected."),
    )
    word_count = models.PositiveIntegerField(_("word count"), default=0, editable=False)
    reading_time = models.PositiveSmallIntegerField(
        _("reading time (minutes)"), default=1, editable=False
    )

    objects = ArticlePageManager()

    content_panels = [
        FieldPanel("kicker"),
        # The page title is the article's headline; Wagtail's own label and help text speak
        # of a "page title".
        TitleFieldPanel(
            "title",
            heading=_("Headline"),
            help_text=_("The headline as readers see it on the page, in teasers and in feeds."),
            placeholder=_("Headline*"),
        ),
        FieldPanel("lead"),
        MultiFieldPanel(
            [
                HelpPanel(template="news/panels/lead_image_warning.html"),
                FieldPanel("lead_image"),
                FieldPanel("lead_image_caption"),
                FieldPanel("lead_image_credit"),
            ],
            heading=_("Lead image"),
        ),
        FieldPanel("body"),
        InlinePanel("article_authors", label=_("Authors"), min_num=1),
        FieldPanel("topics"),
        # "Mehr zum Thema" belongs to redaktion.related: the picks and blocks are its models
        # (related/models.py), the engine's suggestions with their scores its template.
        InlinePanel("related_picks", label=_("Mehr zum Thema (editor's picks)"), max_num=6),
        InlinePanel(
            "related_blocks",
            label=_("Mehr zum Thema (never show)"),
            help_text=_("Articles the engine must never suggest under this one."),
        ),
        HelpPanel(
            heading=_("Mehr zum Thema (engine's suggestions)"),
            template="related/panels/suggestions.html",
        ),
        MultiFieldPanel(
            [FieldPanel("updated_at"), FieldPanel("correction_note")],
            heading=_("Update and correction"),
        ),
    ]
    promote_panels = [
        *Page.promote_panels,
        FieldPanel("first_published_at", heading=_("First published at")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("kicker"),
        index.SearchField("lead"),
        index.SearchField("body"),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.FilterField("first_published_at"),
    ]
    parent_page_types = ["news.RessortPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    @property
    def authors(self):
        return [item.author for item in self.article_authors.all()]

    def clean(self):
        super().clean()
        if self.correction_note and not self.updated_at:
            raise ValidationError(
                {"updated_at": _("A correction note needs the time of the update.")}
            )

    def update_derived_fields(self):
        """Word count and reading time from lead and body, at a German reading speed."""
        self.word_count = count_words(f"{self.lead} {body_text(self.body)}")
        self.reading_time = reading_minutes(self.word_count)

    def full_clean(self, *args, **kwargs):
        # save_revision() cleans before it stores the revision, so drafts carry the value too.
        self.update_derived_fields()
        super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        self.update_derived_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "word_count", "reading_time"}
        return super().save(*args, **kwargs)

    @cached_property
    def ressort(self):
        """The Ressort page this article lives in (its parent).

        Listings set it from the Ressorts they loaded once (``listings.attach_ressorts``);
        computing it here costs a query per article.
        """
        return self.get_parent().specific

    def get_context(self, request, *args, **kwargs):
        """The article's own parts. "Mehr zum Thema" and the river under it come from the
        template's tags (``related_articles``, ``river``), so the river can leave out what
        the related list shows."""
        context = super().get_context(request, *args, **kwargs)
        ressort_list = menu_ressorts()
        if self.path:
            attach_ressorts([self], ressort_list)
            ressort = self.__dict__.get("ressort")  # set by attach_ressorts: no query
            if ressort is not None:
                surrogate.add_keys(request, keys.page(ressort.pk))
        # Topics and authors: the ad slots' targeting and the SEO head read them on every
        # page, so they are a fragment of their own (purged with the article's key, which an
        # author's or a topic's edit purges). The lead image is loaded only where a part
        # that shows it is built (a callable: the template asks it).
        labels = fragment(
            f"labels:{self.pk}:{self.live_revision_id}:{self.last_published_at}",
            lambda: {
                "topics": list(self.topics.all()),
                "authors": [item.author for item in self.article_authors.select_related("author")],
            },
            keys=[keys.article(self.pk)],
            request=request,
        )
        context.update(
            labels,
            ressorts=ressort_list,
            lead_image=self.shown_lead_image,
            # From the stored blocks: converting them would load the body's images.
            has_embed=any(block["type"] == "embed" for block in self.body.raw_data),
        )
        return context

    def shown_lead_image(self):
        """The lead image with the renditions the page shows and the SEO head's share sizes,
        prefetched in one query (and set as ``lead_image``, which the head reads); loaded
        once per instance."""
        if "_shown_lead_image" not in self.__dict__:
            image = image_with_renditions(
                self.lead_image_id, ARTICLE_PICTURE_SPECS + SHARE_IMAGE_SPECS
            )
            if image is not None:
                self.lead_image = image
            self.__dict__["_shown_lead_image"] = image
        return self.__dict__["_shown_lead_image"]


class StandardPage(RestrictionsMixin, RequestSchemeMixin, Page):
    """Impressum, Datenschutz and other plain pages."""

    body = RichTextField(_("body"), features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["news.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("standard page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["ressorts"] = menu_ressorts()
        return context


class VisibleArticle(models.Model):
    """The facts (``events.ArticleFacts``) of an article as the publish pipeline last
    recorded them: one row per article readers can see. The next change is the difference
    between these and the article's facts now (``publishing.articles_sync``); no foreign
    key, so the row outlives a deleted article until its ``hidden`` event is recorded."""

    article_id = models.BigIntegerField(primary_key=True)
    facts = models.JSONField()
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("visible article")
        verbose_name_plural = _("visible articles")

    def __str__(self):
        return str(self.article_id)


# The Liveticker is an article with entries; its module needs ArticlePage, so it comes last.
from .live import LiveTickerEntry, LiveTickerPage  # noqa: E402, F401
