"""What a page's ``<head>`` tells search engines and social networks.

:func:`head_metadata` turns the template context of any public page (a Wagtail page, a
topic or author route of the home page, or a plain Django view) into one
:class:`HeadMetadata`: the ``<title>``, the meta description, the canonical URL, Open Graph
and Twitter card values and the JSON-LD documents. The template
``syndication/head.html`` only prints it.

Queries per page are fixed: the site and brand settings (cached on the request), the brand
logo and its rendition, and for an article its ancestors, authors, topics, lead image and
the lead image's renditions - one query each, however many authors or topics there are.
"""

import logging
from dataclasses import dataclass, field

from django.urls import NoReverseMatch
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from wagtail.images.models import SourceImageIOError
from wagtail.models import Page

from redaktion.core.images import renditions as image_renditions
from redaktion.core.models import BrandSettings
from redaktion.core.text import plain_text, teaser_cut
from redaktion.news.listings import SHARE_IMAGE_SPECS
from redaktion.news.live import LiveTickerPage
from redaktion.news.models import ArticlePage

from . import structured_data
from .links import absolute_url, author_url, og_locale, site_for_request, w3c_datetime
from .structured_data import ShareImage

logger = logging.getLogger(__name__)

DESCRIPTION_LENGTH = 160
TITLE_SEPARATOR = " – "

# The article's share images (news.listings, which prefetches them with the page's own).
ARTICLE_IMAGE_SPECS = SHARE_IMAGE_SPECS
PORTRAIT_IMAGE_SPEC = "fill-600x600|format-jpeg"
LOGO_IMAGE_SPEC = "max-600x600|format-png"


@dataclass
class HeadMetadata:
    title: str
    og_title: str
    description: str
    site_name: str
    locale: str
    canonical: str = ""
    og_type: str = "website"
    image: ShareImage | None = None
    twitter_card: str = "summary"
    published_time: str = ""
    modified_time: str = ""
    section: str = ""
    tags: list[str] = field(default_factory=list)
    author_urls: list[str] = field(default_factory=list)
    structured_data: list[dict] = field(default_factory=list)


def page_number(request) -> int:
    """The listing page a request asks for (``?page=N``), 1 when absent or not a number."""
    value = request.GET.get("page", "")
    if value.isdigit() and len(value) <= 6:
        return max(int(value), 1)
    return 1


def share_images(site, image, specs, alt: str = "") -> list[ShareImage]:
    """Renditions of ``image`` for crawlers, in the order of ``specs``; none when the
    original file is missing (the page still renders, just without an image)."""
    if image is None:
        return []
    try:
        renditions = image_renditions(image, *specs)
    except (SourceImageIOError, OSError):
        logger.warning("Image %s has no readable file; page shared without image.", image.pk)
        return []
    return [
        ShareImage(
            url=absolute_url(site, rendition.url),
            width=rendition.width,
            height=rendition.height,
            alt=alt or image.title,
        )
        for rendition in renditions.values()
    ]


def describe(text: str) -> str:
    return teaser_cut(plain_text(text or ""), DESCRIPTION_LENGTH)


def head_metadata(
    *,
    request,
    page=None,
    topic=None,
    author=None,
    archive_start=None,
    archive_month=None,
    authors=None,
    topics=None,
    title: str = "",
) -> HeadMetadata | None:
    """Metadata for the page in a template context; ``None`` when no Wagtail site answers
    the request.

    ``topic``, ``author`` and ``archive_start``/``archive_month`` mark the home page's
    routes; ``authors`` and ``topics`` are an article's, when its view already loaded them
    (saves two queries); ``title`` names a plain view (such as search) that has no page.
    """
    site = site_for_request(request)
    if site is None:
        return None
    builder = _HeadBuilder(request, site)
    if not isinstance(page, Page):
        page = None
    if topic is not None:
        return builder.for_topic(page, topic)
    if author is not None:
        return builder.for_author(page, author)
    if archive_start is not None and page is not None:
        return builder.for_archive(page, archive_start, archive_month)
    if isinstance(page, ArticlePage):
        return builder.for_article(page, authors=authors, topics=topics)
    if page is not None:
        return builder.for_page(page)
    return builder.for_view(title)


class _HeadBuilder:
    def __init__(self, request, site):
        self.request = request
        self.site = site
        self.brand = BrandSettings.for_request(request)
        self.page_number = page_number(request)
        self._logo = None

    @property
    def logo(self) -> ShareImage | None:
        if self._logo is None:
            images = share_images(self.site, self.brand.logo, [LOGO_IMAGE_SPEC], self.brand.name)
            self._logo = images[0] if images else False
        return self._logo or None

    def fallback_images(self) -> list[ShareImage]:
        """The brand's default share image in the article sizes, for an article without a
        lead image: NewsArticle needs an image for Google's Top Stories."""
        if self.brand.share_image_id is None:
            return []
        return share_images(self.site, self.brand.share_image, ARTICLE_IMAGE_SPECS, self.brand.name)

    # Pieces shared by every kind of page

    def full_title(self, name: str, *, paginated: bool = True) -> str:
        parts = [name]
        if paginated and self.page_number > 1:
            parts.append(_("Page %(number)s") % {"number": self.page_number})
        if name != self.brand.name:
            parts.append(self.brand.name)
        return TITLE_SEPARATOR.join(parts)

    def paginated(self, url: str) -> str:
        """A listing's canonical URL keeps its page number, so page 2 is not folded into 1."""
        if url and self.page_number > 1:
            return f"{url}?page={self.page_number}"
        return url

    @property
    def route_name(self) -> str:
        """The name of the routable page's route serving the request, ``""`` if none."""
        match = getattr(self.request, "routable_resolver_match", None)
        return (match.url_name or "") if match is not None else ""

    def page_url(self, page) -> str:
        """The page's own absolute URL; for a route of a routable page, the route's URL."""
        url = page.get_full_url(self.request) or ""
        match = getattr(self.request, "routable_resolver_match", None)
        if url and match is not None and hasattr(page, "reverse_subpage"):
            try:
                subpath = page.reverse_subpage(match.url_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                subpath = ""
            url = f"{url.rstrip('/')}/{subpath}" if subpath else url
        return url

    def metadata(self, **kwargs) -> HeadMetadata:
        kwargs.setdefault("image", self.logo)
        return HeadMetadata(site_name=self.brand.name, locale=og_locale(), **kwargs)

    def breadcrumbs(self, ancestors, page, url: str) -> list[tuple[str, str]]:
        trail = [(ancestor.title, ancestor.get_full_url(self.request)) for ancestor in ancestors]
        return [*trail, (page.title, url)]

    def site_ancestors(self, page) -> list:
        return list(
            page.get_ancestors().filter(depth__gte=self.site.root_page.depth).order_by("depth")
        )

    def article_ancestors(self, page) -> list:
        """Home and Ressort of an article; without a query when the article view already
        attached its Ressort (``news.selectors.attach_ressorts``)."""
        ressort = page.__dict__.get("ressort")
        root = self.site.root_page
        steplen = page.steplen
        if (
            ressort is not None
            and ressort.path == page.path[:-steplen]
            and root.path == ressort.path[:-steplen]
        ):
            return [root, ressort]
        return self.site_ancestors(page)

    # Kinds of page

    def for_article(self, page: ArticlePage, *, authors=None, topics=None) -> HeadMetadata:
        canonical = page.get_full_url(self.request) or ""
        ancestors = self.article_ancestors(page)
        section = ancestors[-1].title if len(ancestors) > 1 else ""
        if not isinstance(authors, list | tuple):
            authors = [item.author for item in page.article_authors.select_related("author")]
        if not isinstance(topics, list | tuple):
            topics = list(page.topics.all())
        authors = [(author, author_url(self.site, author)) for author in authors]
        topics = [topic.name for topic in topics]
        images = (
            share_images(
                self.site,
                page.lead_image,
                ARTICLE_IMAGE_SPECS,
                page.lead_image_caption,
            )
            or self.fallback_images()
        )
        description = page.search_description or page.lead
        modified = page.updated_at or page.last_published_at
        headline = page.seo_title or page.title
        return self.metadata(
            title=self.full_title(headline, paginated=False),
            og_title=headline,
            description=describe(description),
            canonical=canonical,
            og_type="article",
            image=images[0] if images else self.logo,
            twitter_card="summary_large_image" if images else "summary",
            published_time=w3c_datetime(page.first_published_at),
            modified_time=w3c_datetime(modified),
            section=section,
            tags=topics,
            author_urls=[url for __, url in authors if url],
            structured_data=[
                self.article_document(
                    page,
                    structured_data.news_article_document(
                        page=page,
                        canonical=canonical,
                        description=plain_text(description),
                        section=section,
                        authors=authors,
                        topics=topics,
                        images=images,
                        publisher=structured_data.organization(
                            site=self.site, brand=self.brand, logo=self.logo
                        ),
                    ),
                    canonical,
                ),
                structured_data.breadcrumb_document(self.breadcrumbs(ancestors, page, canonical)),
            ],
        )

    @staticmethod
    def article_document(page, article: dict, canonical: str) -> dict:
        """NewsArticle, or LiveBlogPosting for a Liveticker with the entries its page shows
        (``LiveTickerPage.shown_entries``, set by its ``get_context``: no query)."""
        if not isinstance(page, LiveTickerPage):
            return article
        return structured_data.live_blog_document(
            article=article,
            page=page,
            entries=getattr(page, "shown_entries", ()),
            canonical=canonical,
        )

    def for_page(self, page) -> HeadMetadata:
        canonical = self.paginated(self.page_url(page))
        is_home = page.pk == self.site.root_page_id and self.route_name in ("", "home")
        if is_home:
            og_title = page.seo_title or self.brand.name
            title = self.full_title(og_title)
            if not page.seo_title and self.brand.tagline and self.page_number == 1:
                title = f"{self.brand.name}{TITLE_SEPARATOR}{self.brand.tagline}"
            documents = [
                structured_data.organization_document(
                    site=self.site, brand=self.brand, logo=self.logo
                ),
                structured_data.website_document(site=self.site, brand=self.brand),
            ]
        else:
            og_title = page.seo_title or page.title
            title = self.full_title(og_title)
            documents = [
                structured_data.breadcrumb_document(
                    self.breadcrumbs(self.site_ancestors(page), page, self.page_url(page))
                )
            ]
        return self.metadata(
            title=title,
            og_title=og_title,
            description=describe(page_description(page) or self.brand.tagline),
            canonical=canonical,
            structured_data=documents,
        )

    def for_topic(self, page, topic) -> HeadMetadata:
        description = topic.description or _("News and background on %(topic)s") % {
            "topic": topic.name
        }
        return self.metadata(
            title=self.full_title(topic.name),
            og_title=topic.name,
            description=describe(description),
            canonical=self.paginated(self.page_url(page)) if page is not None else "",
        )

    def for_author(self, page, author) -> HeadMetadata:
        description = author.bio or _("Articles by %(name)s") % {"name": author.name}
        portrait = share_images(self.site, author.portrait, [PORTRAIT_IMAGE_SPEC], author.name)
        return self.metadata(
            title=self.full_title(author.name),
            og_title=author.name,
            description=describe(description),
            canonical=self.paginated(self.page_url(page)) if page is not None else "",
            og_type="profile",
            image=portrait[0] if portrait else self.logo,
        )

    def for_archive(self, page, start, month) -> HeadMetadata:
        period = date_format(start, "F Y") if month else str(start.year)
        name = _("Archive: %(period)s") % {"period": period}
        return self.metadata(
            title=self.full_title(name),
            og_title=name,
            description=describe(_("Articles from %(period)s") % {"period": period}),
            canonical=self.paginated(self.page_url(page)),
        )

    def for_view(self, title: str) -> HeadMetadata:
        name = title or self.brand.name
        return self.metadata(
            title=self.full_title(name),
            og_title=name,
            description=describe(self.brand.tagline),
        )


def page_description(page) -> str:
    """The editor's search description, else the page's own summary text."""
    if page.search_description:
        return page.search_description
    for name in ("lead", "description"):
        value = getattr(page, name, "")
        if isinstance(value, str) and value:
            return value
    body = getattr(page, "body", "")
    return str(body) if isinstance(body, str) else ""
