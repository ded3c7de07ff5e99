"""Sections of the XML sitemap: pages, topic pages and author pages.

Locations are absolute URLs on the Wagtail site's root URL (see :mod:`.links`), lastmod is
the last publication that changed what the URL shows.
"""

from django.db.models import Max
from wagtail.contrib.sitemaps import Sitemap

from . import selectors
from .links import route_url


class PageSitemap(Sitemap):
    """Every live, public page; home and Ressort pages change when an article in them is
    published."""

    def items(self):
        return selectors.sitemap_pages(site=self.get_wagtail_site())

    def get_latest_lastmod(self):
        return selectors.latest_page_publication(site=self.get_wagtail_site())

    def _urls(self, page, protocol, domain):
        urls = []
        for item in self.paginator.page(page).object_list.iterator():
            newest_below = getattr(item, "newest_descendant_published_at", None)
            for url_info in item.get_sitemap_urls(self.request):
                lastmod = url_info.get("lastmod")
                if newest_below and (lastmod is None or newest_below > lastmod):
                    url_info = {**url_info, "lastmod": newest_below}
                urls.append(url_info)
        lastmods = [url_info.get("lastmod") for url_info in urls]
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls


class RouteSitemap(Sitemap):
    """Objects shown on a route of the home page (``/thema/<slug>/``, ``/autor/<slug>/``)."""

    route_name = ""

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("lastmod"))["latest"]

    def _urls(self, page, protocol, domain):
        site = self.get_wagtail_site()
        urls = []
        for item in self.paginator.page(page).object_list:
            location = route_url(site, self.route_name, slug=item.slug)
            if location:
                urls.append({"item": item, "location": location, "lastmod": item.lastmod})
        if urls:
            self.latest_lastmod = max(url_info["lastmod"] for url_info in urls)
        return urls


class TopicSitemap(RouteSitemap):
    route_name = "topic"

    def items(self):
        return selectors.sitemap_topics(site=self.get_wagtail_site())


class AuthorSitemap(RouteSitemap):
    route_name = "author"

    def items(self):
        return selectors.sitemap_authors(site=self.get_wagtail_site())


SECTIONS = {"pages": PageSitemap, "topics": TopicSitemap, "authors": AuthorSitemap}
