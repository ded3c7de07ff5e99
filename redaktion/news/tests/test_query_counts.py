"""Every page type costs the same fixed number of queries for 20 articles as for 50, with
its shared fragments cached or not.

Counted after a first view has made the image renditions (as on a running site) and with
Django's page cache purged, so these are the queries of a real render. 20 is the smallest
archive that fills every part of the home page (lead, 3 Ressort blocks of 4, the river);
with fewer, an empty river skips its renditions query. The river selector alone is
pinned for 5 and 50 articles in test_river.py.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from redaktion.core.middleware import purge_page_cache
from redaktion.news.factories import (
    ArticlePageFactory,
    AuthorFactory,
    ImageFactory,
    StandardPageFactory,
    TopicFactory,
    home_page,
)
from redaktion.related.factories import ArticleWithPicksFactory

from .newsroom import build_brand, build_ressorts

pytestmark = pytest.mark.django_db

# Routing (the site; the page itself in one query once its route is known, as it is after
# the first view: core.routing), the view restrictions (once per request), the
# Ressorts for the menu, BrandSettings, the footer's legal pages and the SEO metadata
# (syndication's head.html) are part of every count; the article's includes the related
# engine's, its body's images and the river.
# Home, Ressort and article pages: one of them the "Meistgelesen" box (redaktion.analytics).
EXPECTED = {
    "home": 13,
    "ressort": 11,
    "article": 21,
    "topic": 10,
    "author": 10,
    "archive_month": 11,
    "archive_year": 12,
    "standard": 7,
}
# With the shared fragments cached (redaktion.core.fragments): the menu, the footer's
# links, on an article "Mehr zum Thema", the river, its own part, SEO head, topics and
# authors, the home page's lead, Ressort blocks and river, and a Ressort's page of teasers
# cost nothing, nor do the site and BrandSettings (core.sites); what is left is the page
# itself (an article in one query once its route is known: core.routing; the home page's
# specific page) and the view restrictions, plus the listings of the topic, author and
# archive pages.
EXPECTED_WARM = {
    "home": 2,
    "ressort": 3,
    "article": 2,
    "topic": 6,
    "author": 6,
    "archive_month": 7,
    "archive_year": 8,
    "standard": 3,
}


@pytest.fixture(scope="module", params=[20, 50], ids=["20-articles", "50-articles"])
def site_with_articles(request, module_db):
    """The archive, built once for each size in a savepoint of the module's transaction
    (``module_db``) and rolled back before the next size; the tests only read it."""
    with transaction.atomic():
        yield _site_with_articles(request.param)
        transaction.set_rollback(True)


def _site_with_articles(count: int) -> dict:
    home = home_page()
    brand, ressorts = build_brand(), build_ressorts(home)
    nato = TopicFactory(name="Nato", slug="nato")
    anna = AuthorFactory(slug="anna", portrait=ImageFactory(kind="portrait", width=200))
    images = [ImageFactory(width=800, height=450) for _ in range(2)]
    parents = list(ressorts.values())
    articles = [
        ArticlePageFactory(
            publish=False,
            parent=parents[n % len(parents)],
            first_published_at=datetime(2015, 10, 1, tzinfo=UTC) + timedelta(hours=n),
            lead_image=images[n % 2],
            topics=[nato],
            authors=[anna],
        )
        for n in range(count)
    ]
    subject = ArticleWithPicksFactory(
        publish=False,
        parent=ressorts["Politik"],
        first_published_at=datetime(2015, 10, 6, 16, 15, tzinfo=UTC),
        lead_image=images[0],
        lead_image_credit="dpa",
        topics=[nato, TopicFactory()],
        authors=[anna, AuthorFactory()],
        picks=articles[:2],
        body=[
            ("paragraph", "<p>Text</p>"),
            ("image", {"image": images[1], "caption": "Bild", "credit": "dpa"}),
        ],
    )
    brand.impressum_page = StandardPageFactory(parent=home, slug="impressum")
    brand.save()
    return {
        "home": "/",
        "ressort": "/politik/",
        "article": subject.url,
        "topic": "/thema/nato/",
        "author": "/autor/anna/",
        "archive_month": "/archiv/2015/10/",
        "archive_year": "/archiv/2015/",
        "standard": "/impressum/",
    }


def test_each_page_type_has_a_fixed_query_count(client, site_with_articles, db):
    counted = {}
    for name, url in site_with_articles.items():
        assert client.get(url).status_code == 200, url
        purge_page_cache()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counted[name] = len(queries.captured_queries)
    assert counted == EXPECTED


def test_with_warm_fragments_each_page_type_has_a_fixed_query_count(
    client, site_with_articles, settings, db
):
    """A page-cache miss whose shared fragments (menu, river, "Mehr zum Thema", the body,
    the footer's links) are cached: what a page costs right after a publish purged it."""
    settings.PAGE_CACHE_ENABLED = False
    settings.FRAGMENT_CACHE_ENABLED = True
    counted = {}
    for name, url in site_with_articles.items():
        # The first view builds the fragments and the second reads them one by one; from
        # then on they are read at once, with the generation under which the process keeps
        # the site and the brand (core.sites, read by the third view).
        for _ in range(3):
            assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counted[name] = len(queries.captured_queries)
    assert counted == EXPECTED_WARM
    assert counted["article"] <= 12
