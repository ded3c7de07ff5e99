"""A page's route is remembered per process and used while it is still true
(``core.routing``): one query instead of Wagtail's walk down the tree, and never a page
that moved, was renamed, unpublished or replaced."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from redaktion.core.routing import Known, KnownRoutes, known_routes
from redaktion.news.factories import (
    ArticlePageFactory,
    LiveTickerPageFactory,
    RessortPageFactory,
    TopicFactory,
)
from redaktion.news.models import ArticlePage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_routes(settings):
    settings.PAGE_CACHE_ENABLED = False
    known_routes.clear()
    yield
    known_routes.clear()


@pytest.fixture
def politik(home_page):
    return RessortPageFactory(parent=home_page, title="Politik", slug="politik")


@pytest.fixture
def article(politik):
    return ArticlePageFactory(parent=politik, title="Hafen", slug="hafen")


def queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_a_known_route_costs_one_query(client, article):
    queries(client, "/politik/hafen/")  # renditions made
    known_routes.clear()
    walked = queries(client, "/politik/hafen/")
    known = queries(client, "/politik/hafen/")
    # Wagtail walks down the tree (the Ressort and the article, each with its specific
    # row, below the site's home page); remembered: the article with its page row.
    assert len(walked) - len(known) == 4
    loads = [sql for sql in known if f'"news_articlepage"."page_ptr_id" = {article.pk}' in sql]
    assert len(loads) == 1 and 'INNER JOIN "wagtailcore_page"' in loads[0]


def test_a_renamed_article_is_not_served_at_its_old_path(client, article):
    assert client.get("/politik/hafen/").status_code == 200
    article = ArticlePage.objects.get(pk=article.pk)
    article.slug = "hafen-neu"
    article.save_revision().publish()
    assert client.get("/politik/hafen/").status_code in (301, 302, 404)
    assert client.get("/politik/hafen-neu/").status_code == 200


def test_an_article_moved_with_its_ressort_renamed_is_routed_anew(client, politik, article):
    assert client.get("/politik/hafen/").status_code == 200
    politik.slug = "inland"
    politik.save_revision().publish()
    assert client.get("/politik/hafen/").status_code in (301, 302, 404)
    assert "Hafen" in client.get("/inland/hafen/").text


def test_an_unpublished_article_is_not_found(client, article):
    assert client.get("/politik/hafen/").status_code == 200
    ArticlePage.objects.get(pk=article.pk).unpublish()
    assert client.get("/politik/hafen/").status_code == 404


def test_a_new_page_at_the_same_path_is_served(client, politik, article):
    assert "Hafen" in client.get("/politik/hafen/").text
    ArticlePage.objects.get(pk=article.pk).delete()
    ArticlePageFactory(parent=politik, title="Neuer Hafen", slug="hafen")
    assert "Neuer Hafen" in client.get("/politik/hafen/").text


def test_a_page_of_another_type_under_a_known_id_is_routed_anew(client, politik):
    """An id given again (SQLite after a rollback) to a page of another type: loading the
    remembered type by id alone would give the Liveticker as a plain article."""
    ticker = LiveTickerPageFactory(parent=politik, title="Liveticker", slug="live")
    site = Site.objects.get(is_default_site=True)
    article_type = ContentType.objects.get_for_model(ArticlePage)
    remembered = Known(ticker.pk, article_type.pk, ArticlePage, ticker.url_path)
    known_routes.put("/politik/live/", (site.pk, site.root_page_id), remembered)
    assert 'src="/static/js/live-ticker.js"' in client.get("/politik/live/").text


def test_routes_of_the_home_page_are_wagtails(client, article):
    TopicFactory(name="Nato", slug="nato")
    assert client.get("/thema/nato/").status_code == 200
    assert client.get("/").status_code == 200
    assert known_routes.for_path("/") is None
    assert known_routes.for_path("/thema/nato/") is None
    assert client.get("/thema/nato/").status_code == 200


def test_the_routes_kept_are_bounded():
    routes = KnownRoutes(size=2)
    for n in range(3):
        routes.put(f"/{n}/", (1, 3), n)
    assert routes.for_path("/0/") is None
    assert routes.for_path("/2/") == {(1, 3): 2}
