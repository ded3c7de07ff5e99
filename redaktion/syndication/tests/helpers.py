"""Builders for the syndication tests: images, Ressorts, articles, and a head parser."""

import io
from html.parser import HTMLParser

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.rich_text import RichText

from redaktion.core.models import BrandSettings
from redaktion.news.models import ArticleAuthor, ArticlePage, RessortPage

BRAND_NAME = "Tagesblick"
ROOT_URL = "http://localhost"


def make_image(title="Bild", width=1600, height=1000, fmt="JPEG") -> Image:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 30, 30)).save(buffer, fmt)
    name = "image.png" if fmt == "PNG" else "image.jpg"
    return Image.objects.create(title=title, file=ImageFile(buffer, name=name))


def make_brand(site) -> BrandSettings:
    return BrandSettings.objects.create(
        site=site, name=BRAND_NAME, short_name="TB", logo=make_image("Logo", 400, 100, "PNG")
    )


def make_ressort(home_page, title, slug) -> RessortPage:
    ressort = home_page.add_child(instance=RessortPage(title=title, slug=slug, live=False))
    ressort.save_revision().publish()
    ressort.refresh_from_db()
    return ressort


def make_article(
    ressort,
    title,
    slug,
    *,
    lead="Der Vorspann in zwei Sätzen. Er fasst zusammen.",
    authors=(),
    topics=(),
    publish=True,
    **fields,
) -> ArticlePage:
    article = ArticlePage(
        title=title,
        slug=slug,
        lead=lead,
        body=[("paragraph", RichText("<p>Der erste Absatz des Artikels.</p>"))],
        live=False,
        **fields,
    )
    article.article_authors = ArticleAuthor.bylines(authors)
    ressort.add_child(instance=article)
    if topics:
        article.topics.add(*topics)
        article.save()
    revision = article.save_revision()
    if publish:
        revision.publish()
    return ArticlePage.objects.get(pk=article.pk)


class HeadParser(HTMLParser):
    """What a crawler reads from a page's head: title, meta, canonical and JSON-LD."""

    def __init__(self):
        super().__init__()
        self.title = ""
        self.meta: list[tuple[str, str]] = []
        self.canonical: list[str] = []
        self.json_ld: list[str] = []
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self._in = "title"
        elif tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.append((key, attrs.get("content", "")))
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs["href"])
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in = "json_ld"
            self.json_ld.append("")

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "json_ld":
            self.json_ld[-1] += data

    def values(self, key) -> list[str]:
        return [content for name, content in self.meta if name == key]

    def value(self, key) -> str:
        values = self.values(key)
        assert len(values) == 1, f"{key}: {values}"
        return values[0]


def parse_head(html: str) -> HeadParser:
    parser = HeadParser()
    parser.feed(html)
    parser.close()
    return parser
