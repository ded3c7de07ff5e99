"""Pages announce their feeds with ``<link rel="alternate">`` in the head."""

from html.parser import HTMLParser

import pytest
from django.template import Context, RequestContext, Template

from redaktion.news.factories import ArticlePageFactory

from .helpers import BRAND_NAME, ROOT_URL

TYPES = ["application/rss+xml", "application/atom+xml", "application/feed+json"]
LABELS = ["RSS", "Atom", "JSON Feed"]


class AlternateLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[dict] = []
        self.in_head = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif tag == "link" and attrs.get("rel") == "alternate":
            assert self.in_head, "feed links belong in the head"
            self.links.append(attrs)

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


def alternate_links(html: str) -> list[tuple[str, str, str]]:
    parser = AlternateLinks()
    parser.feed(html)
    return [(link["type"], link["title"], link["href"]) for link in parser.links]


def expected(title: str, path: str) -> list[tuple[str, str, str]]:
    files = ["rss.xml", "atom.xml", "feed.json"]
    return [
        (media_type, f"{title} ({label})", f"{ROOT_URL}{path}{name}")
        for media_type, label, name in zip(TYPES, LABELS, files, strict=True)
    ]


SITE = expected(BRAND_NAME, "/feeds/")


@pytest.fixture
def article(brand, politik, anna, nato):
    return ArticlePageFactory(
        parent=politik, title="Gipfel", slug="gipfel", authors=[anna], topics=[nato]
    )


@pytest.mark.parametrize(
    ("path", "links"),
    [
        ("/", SITE),
        ("/politik/", expected(f"Politik – {BRAND_NAME}", "/feeds/ressort/politik/") + SITE),
        ("/politik/gipfel/", expected(f"Politik – {BRAND_NAME}", "/feeds/ressort/politik/") + SITE),
        ("/thema/nato/", expected(f"Nato – {BRAND_NAME}", "/feeds/thema/nato/") + SITE),
        (
            "/autor/anna-berg/",
            expected(f"Anna Berg – {BRAND_NAME}", "/feeds/autor/anna-berg/") + SITE,
        ),
    ],
)
def test_pages_announce_their_feeds(client, article, path, links):
    response = client.get(path)
    assert response.status_code == 200
    assert alternate_links(response.content.decode()) == links
    for media_type, __, href in links:
        feed = client.get(href.removeprefix(ROOT_URL))
        assert feed.status_code == 200, href
        assert feed["Content-Type"].split(";")[0] == media_type


def test_the_tag_renders_nothing_without_a_request(db):
    template = Template("{% load syndication_tags %}{% feed_links %}")
    assert template.render(Context({})).strip() == ""


def test_the_tag_falls_back_to_the_site_feeds_without_a_subject(rf, brand):
    template = Template('{% load syndication_tags %}{% feed_links "topic" missing %}')
    html = template.render(RequestContext(rf.get("/"), {}))
    assert alternate_links(f"<head>{html}</head>") == SITE
