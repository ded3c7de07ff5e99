"""Ads are not pages: with a campaign running they appear in no JSON-LD, no sitemap and no
"Mehr zum Thema" list, and the page costs the same queries as without it."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from redaktion.ads.delivery import decide
from redaktion.ads.factories import NATIVE_TITLE, running_native_campaign, slot_enable
from redaktion.ads.models import Placement
from redaktion.core.middleware import purge_page_cache
from redaktion.news.factories import (
    ArticlePageFactory,
    RessortPageFactory,
    TopicFactory,
)
from redaktion.news.tests.newsroom import build_brand
from redaktion.related.factories import ArticleWithPicksFactory
from redaktion.related.selectors import related_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(home_page):
    build_brand()
    politik = RessortPageFactory(parent=home_page, title="Politik", slug="politik")
    nato = TopicFactory(name="Nato", slug="nato")
    articles = [
        ArticlePageFactory(
            parent=politik,
            title=f"Nato berät über Lage {n}",
            topics=[nato],
            body=[("paragraph", f"<p>Absatz {k}</p>") for k in range(5)],
        )
        for n in range(12)
    ]
    articles.append(
        ArticleWithPicksFactory(
            parent=politik,
            title="Nato lädt ein",
            topics=[nato],
            picks=articles[:3],
            body=[("paragraph", f"<p>Absatz {k}</p>") for k in range(5)],
        )
    )
    return {"ressort": politik, "articles": articles, "topic": nato}


def ad_markers(text: str) -> list[str]:
    return [marker for marker in (NATIVE_TITLE, "/anzeigen/", "Reisewelt") if marker in text]


def test_ads_are_in_no_json_ld_sitemap_or_related_list(client, site):
    running_native_campaign()
    article = site["articles"][-1]
    [decision] = decide([Placement.RIVER.value])
    assert NATIVE_TITLE in decision.html  # the campaign is running

    html = client.get(article.url).content.decode()
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        json.loads(block)
        assert not ad_markers(block)
    assert 'data-ad-slot="river"' in html  # the slot is there, empty
    assert not ad_markers(
        html.replace('data-ad-decision="/anzeigen/', "").replace('data-ad-beacon="/anzeigen/', "")
    )

    for url in ("/sitemap.xml", "/sitemap-news.xml"):
        response = client.get(url)
        assert response.status_code == 200
        assert not ad_markers(response.content.decode())
    index = client.get("/sitemap.xml").content.decode()
    for section in re.findall(r"<loc>[^<]*(/sitemap-[^<]+\.xml)</loc>", index):
        assert not ad_markers(client.get(section).content.decode())

    related = related_for(article, limit=10)
    assert related and all(type(item).__name__ == "ArticlePage" for item in related)
    assert not ad_markers(" ".join(item.title for item in related))


def test_a_running_campaign_adds_no_query_to_a_warm_page(client, site):
    """Slots come from the cached snapshot: the same count with ads on as with ads off."""
    article = site["articles"][-1]

    def count(url):
        client.get(url)
        purge_page_cache()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    without = {url: count(url) for url in ("/", "/politik/", article.url)}
    running_native_campaign()
    for placement in (Placement.ARTICLE_INLINE, Placement.HOME, Placement.RESSORT):
        slot_enable(placement)
    with_ads = {url: count(url) for url in ("/", "/politik/", article.url)}
    assert with_ads == without
    html = client.get(article.url).content.decode()
    for placement in ("article_inline", "article_bottom", "river"):
        assert f'data-ad-slot="{placement}"' in html
    # After the third paragraph: the slot follows the third of five paragraphs.
    body = html.split('class="article__body"')[1].split('class="article__footer"')[0]
    assert (
        body.index("Absatz 2")
        < body.index('data-ad-slot="article_inline"')
        < body.index("Absatz 3")
    )
    assert 'data-ad-slot="home"' in client.get("/").content.decode()
    ressort_html = client.get("/politik/").content.decode()
    assert f'data-ad-ressort="{site["ressort"].pk}"' in ressort_html
    assert f'data-ad-topics="{site["topic"].pk}"' in html
