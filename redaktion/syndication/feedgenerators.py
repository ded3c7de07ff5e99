"""Feed formats: RSS 2.0 and Atom from Django's generators, plus JSON Feed 1.1.

Django's ``Rss201rev2Feed`` and ``Atom1Feed`` write well-formed, escaped XML with RFC 822 and
RFC 3339 dates, and ``django.contrib.syndication`` gives the view; feedgen would add a second
XML stack (lxml) for the same result. What Django lacks is added here: every byline of an
article, not just one (RSS ``dc:creator`` per author, Atom one ``<author>`` per author), and
JSON Feed, which Django does not ship, as a generator of the same shape, so one
``Feed`` class serves all three formats.

Items carry two extra keys besides Django's own (see
:meth:`redaktion.syndication.feeds.ArticleFeed.item_extra_kwargs`): ``bylines``, a list of
``(name, url or None)``, and ``summary_text``, the plain-text lead; ``image_url`` is the
lead image for JSON Feed, ``updates`` a Liveticker's latest key events (lines of text; the
RSS and Atom description lists them already).
"""

import json

from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed

from .links import w3c_datetime

DUBLIN_CORE_NS = "http://purl.org/dc/elements/1.1/"


class NewsRssFeed(Rss201rev2Feed):
    """RSS 2.0 with one ``dc:creator`` per author (RSS's own ``<author>`` needs an email
    address, which bylines do not publish)."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DUBLIN_CORE_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, __ in item.get("bylines", ()):
            handler.addQuickElement("dc:creator", name)


class NewsAtomFeed(Atom1Feed):
    """Atom (RFC 4287) with one ``<author>`` per byline, each with its author page."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, url in item.get("bylines", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            if url:
                handler.addQuickElement("uri", url)
            handler.endElement("author")


class JsonFeed(SyndicationFeed):
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/).

    Takes the same arguments as Django's generators. Dates are RFC 3339 with the site's
    offset; items have ``content_text`` (the spec wants text or HTML content in every item)
    and ``summary`` from the lead; ``tags`` are the item's categories.
    """

    content_type = "application/feed+json; charset=utf-8"
    version = "https://jsonfeed.org/version/1.1"

    def document(self) -> dict:
        feed = self.feed
        data = {
            "version": self.version,
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
            "language": feed["language"],
        }
        if feed["author_name"]:
            author = {"name": feed["author_name"]}
            if feed["author_link"]:
                author["url"] = feed["author_link"]
            data["authors"] = [author]
        data["items"] = [self.item_document(item) for item in self.items]
        return {key: value for key, value in data.items() if value is not None}

    def item_document(self, item) -> dict:
        text = item.get("summary_text") or item["description"] or ""
        data = {
            "id": item["unique_id"] or item["link"],
            "url": item["link"],
            "title": item["title"],
            "content_text": "\n\n".join([text, "\n".join(item.get("updates", ()))]).strip(),
            "summary": text,
        }
        if item.get("image_url"):
            data["image"] = item["image_url"]
        if item["pubdate"]:
            data["date_published"] = w3c_datetime(item["pubdate"])
        if item["updateddate"]:
            data["date_modified"] = w3c_datetime(item["updateddate"])
        authors = [
            {"name": name, **({"url": url} if url else {})} for name, url in item.get("bylines", ())
        ]
        if authors:
            data["authors"] = authors
        if item["categories"]:
            data["tags"] = list(item["categories"])
        return data

    def write(self, outfile, encoding):
        json.dump(self.document(), outfile, ensure_ascii=False, separators=(",", ":"))
