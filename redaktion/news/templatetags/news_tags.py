"""Template tags of the reader site: navigation, footer, the river under an article and the
URLs of the HomePage routes (topics, authors, archive), which have no page object of their
own."""

from django import template
from django.urls import reverse
from wagtail.models import Page

from redaktion.core import surrogate
from redaktion.core.models import BrandSettings

from .. import keys, selectors
from ..listings import ressort_path
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
def river(context, *, article, shown=()):
    """The river under ``article``: the newest teasers without the article itself and the
    articles the page already shows above it (``shown``, its "Mehr zum Thema" list), as
    ``{% river article=page shown=related as river %}``. Three queries
    (``selectors.river``), with the page's ``ressorts``. The page carries the ``river`` key."""
    surrogate.add_keys(context.get("request"), keys.RIVER)
    return selectors.river(
        exclude_ids={article.pk, *(item.pk for item in shown)},
        ressort_list=context.get("ressorts"),
    )


@register.inclusion_tag("news/includes/nav.html", takes_context=True)
def ressort_nav(context):
    """The Ressorts in tree order; the current one (or the current article's) is marked."""
    page = context.get("page")
    ressort_list = context.get("ressorts")
    if ressort_list is None:
        ressort_list = selectors.ressorts()
    current = None
    if isinstance(page, RessortPage):
        current = page.pk
    elif isinstance(page, ArticlePage):
        current = ressort_path(page.path)
    return {
        "ressorts": ressort_list,
        "current_pk": current if isinstance(current, int) else None,
        "current_path": current if isinstance(current, str) else None,
        "request": context.get("request"),
    }


@register.inclusion_tag("news/includes/footer.html", takes_context=True)
def site_footer(context):
    """Impressum and Datenschutz from the BrandSettings; one query for both pages."""
    request = context.get("request")
    brand = BrandSettings.for_request(request) if request is not None else None
    links = []
    if brand is not None:
        wanted = [pk for pk in (brand.impressum_page_id, brand.privacy_page_id) if pk]
        pages = (
            {page.pk: page for page in Page.objects.live().filter(pk__in=wanted)} if wanted else {}
        )
        links = [pages[pk] for pk in wanted if pk in pages]
    return {"brand": brand, "legal_pages": links, "request": request}
