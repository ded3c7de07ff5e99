"""robots.txt, the sitemap index and its sections, and the Google News sitemap."""

import re
import xml.etree.ElementTree as ET  # noqa: S405 - parses our own responses
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from redaktion.syndication import selectors

from .helpers import BRAND_NAME, ROOT_URL, make_article, make_ressort

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
NS = {"sm": SITEMAP_NS, "news": NEWS_NS}
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
W3C_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def get_xml(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)  # noqa: S314


def locations(root) -> list[str]:
    return [loc.text for loc in root.iterfind("*/sm:loc", NS)]


def lastmods(root) -> dict[str, str]:
    return {
        entry.findtext("sm:loc", namespaces=NS): entry.findtext("sm:lastmod", namespaces=NS)
        for entry in root
    }


def published_at(moment, *args, **kwargs):
    with time_machine.travel(moment, tick=False):
        return make_article(*args, **kwargs)


@pytest.fixture
def politik(home_page):
    with time_machine.travel(NOW - timedelta(days=10), tick=False):
        return make_ressort(home_page, "Politik", "politik")


@pytest.fixture
def wirtschaft(home_page):
    with time_machine.travel(NOW - timedelta(days=10), tick=False):
        return make_ressort(home_page, "Wirtschaft", "wirtschaft")


@pytest.fixture
def newsroom(brand, politik, wirtschaft, anna, jonas, nato, ukraine):
    """Two hours old, three days old, never published, private; one topic and one author
    appear only on the unpublished article."""
    fresh = published_at(
        NOW - timedelta(hours=2),
        politik,
        "Frische Nachricht & mehr",
        "frisch",
        authors=[anna],
        topics=[nato],
    )
    old = published_at(NOW - timedelta(days=3), wirtschaft, "Alte Nachricht", "alt", authors=[anna])
    draft = make_article(
        politik, "Entwurf", "entwurf", authors=[jonas], topics=[ukraine], publish=False
    )
    private = published_at(
        NOW - timedelta(hours=1), politik, "Nur für Abonnenten", "privat", authors=[anna]
    )
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    return {"fresh": fresh, "old": old, "draft": draft, "private": private}


def test_robots_txt(client, site):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[:4] == ["User-agent: *", "Allow: /", "Disallow: /admin/", "Disallow: /suche/"]
    assert [line for line in lines if line.startswith("Sitemap:")] == [
        f"Sitemap: {ROOT_URL}/sitemap.xml",
        f"Sitemap: {ROOT_URL}/sitemap-news.xml",
    ]


def test_sitemap_index_lists_every_section_and_the_news_sitemap(client, newsroom):
    with time_machine.travel(NOW, tick=False):
        root = get_xml(client, "/sitemap.xml")

    assert root.tag == f"{{{SITEMAP_NS}}}sitemapindex"
    assert locations(root) == [
        f"{ROOT_URL}/sitemap-pages.xml",
        f"{ROOT_URL}/sitemap-topics.xml",
        f"{ROOT_URL}/sitemap-authors.xml",
        f"{ROOT_URL}/sitemap-news.xml",
    ]
    # The newest public publication: the fresh article (the private one is newer).
    fresh = "2026-03-10T11:00:00+01:00"
    assert lastmods(root) == {
        f"{ROOT_URL}/sitemap-pages.xml": fresh,
        f"{ROOT_URL}/sitemap-topics.xml": fresh,
        f"{ROOT_URL}/sitemap-authors.xml": fresh,
        f"{ROOT_URL}/sitemap-news.xml": fresh,
    }


def test_sitemap_index_pages_a_section_beyond_its_limit(client, newsroom, monkeypatch):
    from redaktion.syndication.sitemaps import PageSitemap

    monkeypatch.setattr(PageSitemap, "limit", 2)  # the protocol's limit is 50,000 URLs

    root = get_xml(client, "/sitemap.xml")

    pages = [loc for loc in locations(root) if "sitemap-pages" in loc]
    # home, Politik, Wirtschaft, two public articles
    assert pages == [
        f"{ROOT_URL}/sitemap-pages.xml",
        f"{ROOT_URL}/sitemap-pages.xml?p=2",
        f"{ROOT_URL}/sitemap-pages.xml?p=3",
    ]
    assert len(locations(get_xml(client, "/sitemap-pages.xml?p=3"))) == 1


def test_pages_section_lists_public_live_pages_with_lastmod(client, newsroom):
    root = get_xml(client, "/sitemap-pages.xml")

    assert root.tag == f"{{{SITEMAP_NS}}}urlset"
    assert lastmods(root) == {
        f"{ROOT_URL}/": "2026-03-10T11:00:00+01:00",
        f"{ROOT_URL}/politik/": "2026-03-10T11:00:00+01:00",
        f"{ROOT_URL}/politik/frisch/": "2026-03-10T11:00:00+01:00",
        f"{ROOT_URL}/wirtschaft/": "2026-03-07T13:00:00+01:00",
        f"{ROOT_URL}/wirtschaft/alt/": "2026-03-07T13:00:00+01:00",
    }


def test_topics_section_lists_topics_with_public_articles(client, newsroom):
    root = get_xml(client, "/sitemap-topics.xml")

    assert lastmods(root) == {f"{ROOT_URL}/thema/nato/": "2026-03-10T11:00:00+01:00"}


def test_authors_section_lists_authors_with_public_articles(client, newsroom):
    root = get_xml(client, "/sitemap-authors.xml")

    # Anna's newest public article is the fresh one; Jonas has only a draft.
    assert lastmods(root) == {f"{ROOT_URL}/autor/anna-berg/": "2026-03-10T11:00:00+01:00"}


def test_unknown_section_is_not_found(client, site):
    assert client.get("/sitemap-ressorts.xml").status_code == 404


def test_news_sitemap(client, newsroom):
    with time_machine.travel(NOW, tick=False):
        response = client.get("/sitemap-news.xml")

    assert response["Content-Type"] == "application/xml"
    assert f'xmlns:news="{NEWS_NS}"'.encode() in response.content
    root = ET.fromstring(response.content)  # noqa: S314
    assert root.tag == f"{{{SITEMAP_NS}}}urlset"
    entries = root.findall("sm:url", NS)
    assert [entry.findtext("sm:loc", namespaces=NS) for entry in entries] == [
        f"{ROOT_URL}/politik/frisch/"
    ]
    news = entries[0].find("news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == BRAND_NAME
    assert news.findtext("news:publication/news:language", namespaces=NS) == "de"
    assert news.findtext("news:title", namespaces=NS) == "Frische Nachricht & mehr"
    publication_date = news.findtext("news:publication_date", namespaces=NS)
    assert W3C_DATETIME.match(publication_date)
    assert publication_date == "2026-03-10T11:00:00+01:00"


@pytest.mark.parametrize(
    ("age", "listed"),
    [
        (timedelta(hours=47, minutes=59), True),
        (timedelta(hours=48), False),
        (timedelta(hours=-1), False),  # first publication date set in the future
    ],
)
def test_news_sitemap_window_is_48_hours(brand, site, politik, anna, age, listed):
    article = make_article(politik, "Grenzfall", "grenzfall", authors=[anna])
    article.first_published_at = NOW - age
    article.save()

    found = selectors.news_sitemap_articles(site=site, now=NOW)

    assert [a.pk for a in found] == ([article.pk] if listed else [])


def test_news_sitemap_takes_the_newest_up_to_the_limit(brand, site, politik, anna):
    articles = [
        published_at(NOW - timedelta(hours=hours), politik, f"Nr. {hours}", f"nr-{hours}")
        for hours in (3, 1, 2)
    ]

    found = selectors.news_sitemap_articles(site=site, now=NOW, limit=2)

    assert [a.title for a in found] == ["Nr. 1", "Nr. 2"]
    assert selectors.NEWS_SITEMAP_LIMIT == 1000
    assert len(articles) == 3


def test_news_sitemap_excludes_other_sites(brand, site, home_page, politik, anna):
    from wagtail.models import Page, Site

    other_root = Page.get_first_root_node().add_child(
        instance=type(home_page)(title="Andere", slug="andere")
    )
    Site.objects.create(hostname="andere.example", root_page=other_root)
    elsewhere = make_ressort(other_root, "Sport", "sport")
    published_at(NOW - timedelta(hours=1), elsewhere, "Anderswo", "anderswo")

    assert selectors.news_sitemap_articles(site=site, now=NOW) == []


@pytest.mark.parametrize(
    "path", ["/sitemap.xml", "/sitemap-news.xml", "/sitemap-pages.xml", "/sitemap-authors.xml"]
)
def test_sitemaps_cost_the_same_queries_for_more_articles(client, brand, politik, anna, nato, path):
    def count():
        client.get(path)  # warm Wagtail's cache of site root paths
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200
        return len(captured)

    published_at(NOW - timedelta(hours=1), politik, "Eins", "eins", authors=[anna], topics=[nato])
    with time_machine.travel(NOW, tick=False):
        before = count()
        for number in range(5):
            published_at(
                NOW - timedelta(minutes=number),
                politik,
                f"Mehr {number}",
                f"mehr-{number}",
                authors=[anna],
                topics=[nato],
            )
        after = count()

    assert before == after


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        # site, view restrictions, articles, brand
        ("/sitemap-news.xml", 4),
        # site, view restrictions, count, pages, specific pages per type (3)
        ("/sitemap-pages.xml", 7),
        # site, view restrictions, count, topics
        ("/sitemap-topics.xml", 4),
        ("/sitemap-authors.xml", 4),
        # site, then per section: view restrictions, lastmod, view restrictions, count;
        # news: view restrictions, newest; the article listings among them read the view
        # restrictions once per request
        ("/sitemap.xml", 11),
    ],
)
def test_sitemap_query_counts(client, django_assert_num_queries, newsroom, path, queries):
    with time_machine.travel(NOW, tick=False):
        client.get(path)  # warm Wagtail's cache of site root paths
        with django_assert_num_queries(queries):
            client.get(path)
