"""Template tags of the reader site: navigation, footer, the river under an article and the
URLs of the HomePage routes (topics, authors, archive), which have no page object of their
own."""

from typing import NamedTuple

from django import template
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from redaktion.core import surrogate
from redaktion.core.fragments import fragment, site_scope
from redaktion.core.models import BrandSettings
from redaktion.core.useragents import counts_as_reader

from .. import keys, selectors, teasers
from ..listings import RIVER_LENGTH, RIVER_SPARE, ressort_path, with_renditions
from ..models import ArticlePage, HomePage, RessortPage

register = template.Library()


def _home_route(name: str, **kwargs) -> str:
    return reverse("wagtail_serve", args=[HomePage.get_resolver().reverse(name, **kwargs)])


@register.simple_tag
def topic_url(topic) -> str:
    """``/thema/<slug>/``"""
    return _home_route("topic", slug=topic.slug)


@register.simple_tag
def author_url(author) -> str:
    """``/autor/<slug>/``"""
    return _home_route("author", slug=author.slug)


@register.simple_tag
def archive_url(year, month=None) -> str:
    """``/archiv/2015/`` or ``/archiv/2015/10/`` (month zero-padded)."""
    if month:
        return _home_route("archive_month", year=year, month=f"{int(month):02d}")
    return _home_route("archive_year", year=year)


@register.simple_tag(takes_context=True)
def teaser(context, article, kind="teaser", **options):
    """A teaser of ``article``: ``{% teaser article heading="h2" %}``, ``{% teaser article
    "lead" %}`` (``teasers.render``: the HTML a cached listing stored with the article, else
    rendered now)."""
    return teasers.render(context, article, kind, **options)


@register.simple_tag(takes_context=True)
def river(context, *, article, shown=()):
    """The river under ``article``: the newest teasers without the article itself and the
    articles the page already shows above it (``shown``, its "Mehr zum Thema" list), as
    ``{% river article=page shown=related as river %}``, with the page's ``ressorts``.

    The newest ``RIVER_LENGTH + RIVER_SPARE`` teasers are one fragment for every article
    (``river`` key); what this page leaves out is dropped from them. Only when it leaves
    out more than the spare ones does the page ask the database (``selectors.river``:
    three queries)."""
    request = context.get("request")
    surrogate.add_keys(request, keys.RIVER)
    ressort_list = context.get("ressorts")
    exclude = {article.pk, *(item.pk for item in shown)}
    wanted = RIVER_LENGTH + RIVER_SPARE
    newest = fragment(
        f"river:{wanted}:{site_scope(request)}",
        lambda: teasers.prerender(
            request, with_renditions(selectors.river(limit=wanted, ressort_list=ressort_list))
        ),
        keys=[keys.RIVER],
        request=request,
    )
    kept = [teaser for teaser in newest if teaser.pk not in exclude][:RIVER_LENGTH]
    if len(kept) == RIVER_LENGTH or len(newest) < wanted:
        return kept
    return selectors.river(exclude_ids=exclude, ressort_list=ressort_list)


class RenderedBlock(NamedTuple):
    """A body block as the ad slots between blocks read it (``block_type``) and its HTML."""

    block_type: str
    html: str


@register.simple_tag(takes_context=True)
def article_body(context, page) -> list[RenderedBlock]:
    """The article's body, block by block, rendered once per published revision (a
    fragment purged with the article's key): ``{% article_body page as blocks %}``. A
    preview renders its own revision."""
    request = context.get("request")

    def render() -> list[RenderedBlock]:
        block_context = {"page": page, "request": request}
        return [
            RenderedBlock(block.block_type, block.render_as_block(context=block_context))
            for block in page.body
        ]

    return fragment(
        f"body:{_revision(page)}",
        render,
        keys=[keys.article(page.pk)],
        request=request,
    )


def _revision(page) -> str:
    """What names an article's published content in a fragment's name."""
    return f"{page.pk}:{page.live_revision_id}:{page.last_published_at}"


def _render(context, template_name: str) -> str:
    template = context.template.engine.get_template(template_name)
    return template.render(context)


@register.simple_tag(takes_context=True)
def article_main(context) -> str:
    """The article's own part (news/includes/article_main.html: headline, meta, lead,
    picture, topics, follow row and body with its ad slots), rendered once per published
    revision and site: a fragment purged with the article's key, which an edit of its
    Ressort (``site``), an author or a topic (``article-<id>`` of each of their articles)
    purges too. Its ad slots differ for readers and editors (``counts_as_reader``); they
    tell the request that the ads script is on the page (``fragments.mark``). A preview
    renders its own revision."""
    page, request = context["page"], context.get("request")
    reader = "reader" if counts_as_reader(request) else "staff"
    return fragment(
        f"article:{_revision(page)}:{site_scope(request)}:{reader}",
        lambda: _render(context, "news/includes/article_main.html"),
        keys=[keys.article(page.pk)],
        request=request,
    )


@register.simple_tag(takes_context=True)
def article_head(context) -> str:
    """The article's SEO head (syndication/head.html), rendered once per published
    revision, site and scheme (its URLs are absolute): a fragment purged with the
    article's key and with the brand (``site``). The lead image with its share sizes is
    loaded only to build it (``ArticlePage.shown_lead_image``)."""
    page, request = context["page"], context.get("request")
    scheme = "https" if request is not None and request.is_secure() else "http"

    def render() -> str:
        page.shown_lead_image()
        return _render(context, "syndication/head.html")

    return fragment(
        f"head:{_revision(page)}:{site_scope(request)}:{scheme}",
        render,
        keys=[keys.article(page.pk)],
        request=request,
    )


def _render_with(context, template_name: str, values: dict) -> str:
    """``template_name`` rendered with ``values`` alone, as an inclusion tag renders."""
    template = context.template.engine.get_template(template_name)
    return template.render(context.new(values))


@register.simple_tag(takes_context=True)
def ressort_nav(context) -> str:
    """The Ressorts in tree order; the current one (or the current article's) is marked.
    Rendered once per site and current Ressort: a fragment purged with the menu
    (``site``, which a Ressort's change purges)."""
    page, request = context.get("page"), context.get("request")
    current = None
    if isinstance(page, RessortPage):
        current = page.pk
    elif isinstance(page, ArticlePage):
        current = ressort_path(page.path)

    def render() -> str:
        ressort_list = context.get("ressorts")
        return _render_with(
            context,
            "news/includes/nav.html",
            {
                "ressorts": selectors.ressorts() if ressort_list is None else ressort_list,
                "current_pk": current if isinstance(current, int) else None,
                "current_path": current if isinstance(current, str) else None,
                "request": request,
            },
        )

    return fragment(f"nav:{current}:{site_scope(request)}", render, request=request)


@register.simple_tag(takes_context=True)
def site_footer(context) -> str:
    """Brand, Impressum and Datenschutz from the BrandSettings (one query for both pages),
    the year: rendered once per site and year, a fragment purged with the brand and the
    pages (``site``)."""
    request = context.get("request")
    brand = BrandSettings.for_request(request) if request is not None else None

    def render() -> str:
        links = []
        wanted = [pk for pk in (brand.impressum_page_id, brand.privacy_page_id) if pk]
        if wanted:
            links = _live_pages(wanted)
        return _render_with(
            context,
            "news/includes/footer.html",
            {"brand": brand, "legal_pages": links, "request": request},
        )

    if brand is None:
        return _render_with(
            context, "news/includes/footer.html", {"brand": None, "legal_pages": []}
        )
    year = timezone.localdate().year
    return fragment(f"footer:{year}:{site_scope(request)}", render, request=request)


def _live_pages(ids: list[int]) -> list[Page]:
    """The live pages of ``ids`` in that order (one query)."""
    pages = {page.pk: page for page in Page.objects.live().filter(pk__in=ids)}
    return [pages[pk] for pk in ids if pk in pages]
