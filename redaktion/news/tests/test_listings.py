"""Ressort, topic, author and archive pages: their articles, pagination and 404s."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from redaktion.news.factories import ArticlePageFactory, AuthorFactory, ImageFactory, TopicFactory
from redaktion.news.listings import LISTING_PAGE_SIZE

pytestmark = pytest.mark.django_db


def titles(html: str) -> list[str]:
    return [
        re.sub(r"<span[^>]*>.*?</span>\s*", "", title)
        for title in re.findall(r'class="teaser__link" href="[^"]+">(.*?)</a>', html)
    ]


def test_ressort_page_lists_its_own_articles_newest_first(client, brand, ressorts):
    politik, finanzen = ressorts["Politik"], ressorts["Finanzen"]
    politik.description = "Nachrichten aus Berlin, Brüssel und der Welt."
    politik.save_revision().publish()
    for n, parent in enumerate([politik, finanzen, politik]):
        ArticlePageFactory(
            publish=False,
            parent=parent,
            title=f"Meldung {n}",
            kicker="",
            first_published_at=datetime(2024, 4, 20 + n, tzinfo=UTC),
        )
    html = client.get("/politik/").content.decode()
    assert '<h1 class="page-title">Politik</h1>' in html
    assert "Nachrichten aus Berlin, Brüssel und der Welt." in html
    assert titles(html) == ["Meldung 2", "Meldung 0"]
    assert '<a href="/politik/" aria-current="page">Politik</a>' in html


def test_ressort_pagination(client, brand, ressorts):
    for n in range(LISTING_PAGE_SIZE + 1):
        ArticlePageFactory(
            publish=False,
            parent=ressorts["Finanzen"],
            title=f"Meldung {n}",
            kicker="",
            first_published_at=datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=n),
        )
    first = client.get("/finanzen/").content.decode()
    assert len(titles(first)) == LISTING_PAGE_SIZE
    assert "Seite 1 von 2" in first
    assert 'rel="next" href="?page=2"' in first

    second = client.get("/finanzen/?page=2")
    assert second.status_code == 200
    html = second.content.decode()
    assert titles(html) == ["Meldung 0"]
    assert 'rel="prev" href="/finanzen/"' in html

    for page in ("3", "0", "abc", "-1"):
        assert client.get(f"/finanzen/?page={page}").status_code == 404


def test_topic_page(client, brand, ressorts):
    nato = TopicFactory(name="Nato", slug="nato", description="Das Verteidigungsbündnis.")
    ArticlePageFactory(
        publish=False, parent=ressorts["Politik"], title="Mit Thema", kicker="", topics=[nato]
    )
    ArticlePageFactory(publish=False, parent=ressorts["Politik"], title="Ohne Thema", kicker="")
    response = client.get("/thema/nato/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="page-title">Nato</h1>' in html
    assert "Das Verteidigungsbündnis." in html
    assert titles(html) == ["Mit Thema"]
    assert client.get("/thema/nato/?page=2").status_code == 404
    assert client.get("/thema/gibt-es-nicht/").status_code == 404


def test_author_page(client, brand, ressorts):
    author = AuthorFactory(
        name="Anna Berger",
        slug="anna-berger",
        role="Korrespondentin",
        bio="Berichtet aus Moskau.",
        portrait=ImageFactory(width=200, height=200),
    )
    ArticlePageFactory(
        publish=False, parent=ressorts["Politik"], title="Von Anna", kicker="", authors=[author]
    )
    ArticlePageFactory(
        publish=False, parent=ressorts["Politik"], title="Von jemand anderem", kicker=""
    )
    html = client.get("/autor/anna-berger/").content.decode()
    assert '<h1 class="page-title">Anna Berger</h1>' in html
    assert '<p class="author-header__role">Korrespondentin</p>' in html
    assert "Berichtet aus Moskau." in html
    assert re.search(r'<div class="author-header__portrait"><img alt=""[^>]*width="160"', html)
    assert titles(html) == ["Von Anna"]
    assert client.get("/autor/anna-berger/?page=x").status_code == 404
    assert client.get("/autor/niemand/").status_code == 404


@pytest.fixture
def archive(ressorts):
    """Articles around October 2015; times in UTC, months counted in Berlin."""
    politik = ressorts["Politik"]
    made = {}
    for key, when in {
        "august": datetime(2015, 8, 14, 12, 0, tzinfo=UTC),
        "october_first_berlin": datetime(2015, 9, 30, 22, 30, tzinfo=UTC),  # 01.10. 00:30
        "october": datetime(2015, 10, 6, 16, 15, tzinfo=UTC),
        "october_last_berlin": datetime(2015, 10, 31, 22, 30, tzinfo=UTC),  # 31.10. 23:30 CET
        "november_first_berlin": datetime(2015, 10, 31, 23, 30, tzinfo=UTC),  # 01.11. 00:30
        "next_year": datetime(2016, 2, 1, 12, 0, tzinfo=UTC),
    }.items():
        made[key] = ArticlePageFactory(
            publish=False, parent=politik, title=key, kicker="", first_published_at=when
        )
    return made


def test_month_archive_counts_in_berlin_time(client, brand, archive):
    response = client.get("/archiv/2015/10/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="page-title">Oktober 2015</h1>' in html
    assert titles(html) == ["october_last_berlin", "october", "october_first_berlin"]
    assert 'rel="prev" href="/archiv/2015/08/">← August 2015</a>' in html
    assert 'rel="next" href="/archiv/2015/11/">November 2015 →</a>' in html


def test_year_archive_lists_its_months(client, brand, archive):
    html = client.get("/archiv/2015/").content.decode()
    assert '<h1 class="page-title">2015</h1>' in html
    months = re.findall(r'<a class="chip" href="(/archiv/2015/\d\d/)">(\w+) ', html)
    assert months == [
        ("/archiv/2015/08/", "August"),
        ("/archiv/2015/10/", "Oktober"),
        ("/archiv/2015/11/", "November"),
    ]
    assert '<span class="chip__count">(3)</span>' in html
    assert len(titles(html)) == 5
    assert 'rel="next" href="/archiv/2016/">2016 →</a>' in html
    assert 'rel="prev"' not in html.split('class="archive-nav"', 1)[1]


def test_archive_404s(client, brand, archive):
    for url in (
        "/archiv/2015/09/",
        "/archiv/2015/13/",
        "/archiv/2015/00/",
        "/archiv/1999/",
        "/archiv/2015/10/?page=2",
    ):
        assert client.get(url).status_code == 404, url


def test_standard_page(client, brand, newsroom):
    html = client.get("/impressum/").content.decode()
    assert '<h1 class="page-title">Impressum</h1>' in html
    footer = html.split('<footer class="site-footer">', 1)[1]
    assert '<a href="/impressum/">Impressum</a>' in footer
    assert '<a href="/datenschutz/">Datenschutz</a>' in footer


def test_navigation_lists_live_ressorts_in_tree_order(client, brand, ressorts, home_page):
    ressorts["Finanzen"].unpublish()
    html = client.get("/").content.decode()
    nav = html.split('<nav class="ressort-nav"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'<a href="([^"]+)"', nav) == ["/politik/", "/technologie/"]
