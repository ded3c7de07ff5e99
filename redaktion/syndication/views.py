"""robots.txt, the sitemap index, its sections and the Google News sitemap."""

from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail.contrib.sitemaps import views as wagtail_sitemap_views

from redaktion.core import surrogate
from redaktion.core.models import BrandSettings
from redaktion.news import keys

from . import selectors
from .links import absolute_url, news_language, site_for_request
from .sitemaps import SECTIONS

# Paths crawlers should leave alone: the admin, and search results (endless, thin pages).
ROBOTS_DISALLOW = ("/admin/", "/suche/")


def _site(request):
    site = site_for_request(request)
    if site is None:
        raise Http404("No site is configured for this host.")
    return site


def robots_txt(request):
    site = _site(request)
    sitemaps = [
        absolute_url(site, reverse("syndication:sitemap_index")),
        absolute_url(site, reverse("syndication:news_sitemap")),
    ]
    return TemplateResponse(
        request,
        "syndication/robots.txt",
        {"disallow": ROBOTS_DISALLOW, "sitemaps": sitemaps},
        content_type="text/plain; charset=utf-8",
    )


@x_robots_tag
def sitemap_index(request):
    """One entry per section page (``?p=2`` beyond 50,000 URLs) and one for the news sitemap,
    each with the latest publication it lists."""
    surrogate.set_keys(request, keys.SITEMAP)
    site = _site(request)
    entries = []
    for section, sitemap in wagtail_sitemap_views.prepare_sitemaps(request, SECTIONS).items():
        location = absolute_url(
            site, reverse("syndication:sitemap_section", kwargs={"section": section})
        )
        lastmod = sitemap.get_latest_lastmod()
        entries.append(SitemapIndexItem(location, lastmod))
        entries += [
            SitemapIndexItem(f"{location}?p={number}", lastmod)
            for number in range(2, sitemap.paginator.num_pages + 1)
        ]
    entries.append(
        SitemapIndexItem(
            absolute_url(site, reverse("syndication:news_sitemap")),
            selectors.newest_news_publication(site=site),
        )
    )
    return TemplateResponse(
        request,
        "syndication/sitemap_index.xml",
        {"sitemaps": entries},
        content_type="application/xml",
    )


def sitemap_section(request, section):
    surrogate.set_keys(request, keys.SITEMAP)
    return wagtail_sitemap_views.sitemap(
        request, SECTIONS, section=section, template_name="syndication/sitemap.xml"
    )


@x_robots_tag
def news_sitemap(request):
    """Google News sitemap: articles of the last 48 hours (see
    :func:`.selectors.news_sitemap_articles`) with publication name, language and date.
    Up to 1,000 articles: named by ``sitemap`` alone, as their keys would not fit in a
    header."""
    surrogate.set_keys(request, keys.SITEMAP)
    site = _site(request)
    articles = selectors.news_sitemap_articles(site=site)
    entries = [
        {
            "location": article.get_full_url(request),
            "title": article.title,
            "publication_date": article.first_published_at,
        }
        for article in articles
    ]
    return TemplateResponse(
        request,
        "syndication/sitemap_news.xml",
        {
            "entries": entries,
            "publication_name": BrandSettings.for_request(request).name,
            "language": news_language(),
        },
        content_type="application/xml",
    )
