"""How feeds are served: fixed query counts, the page cache and its purge, conditional GET."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from django.utils.http import http_date
from wagtail.models import Site

from redaktion.core.middleware import purge_page_cache
from redaktion.news.factories import ArticlePageFactory, AuthorFactory, ImageFactory, home_page
from redaktion.news.models import Author, RessortPage, Topic

from .feeds import SITE_FEEDS, feed_paths, item_links
from .helpers import make_brand, make_ressort

# Site, brand settings, the view restrictions (read once per request), the subject (a
# Ressort's page; a topic or an author: one row), then the articles, renditions, bylines and
# topics, and except in a Ressort's feed the Ressorts.
EXPECTED_QUERIES = {
    "/feeds/": 8,
    "/feeds/ressort/politik/": 8,
    "/feeds/thema/nato/": 9,
    "/feeds/autor/anna-berg/": 9,
}
PUBLIC = "public, max-age=11, s-maxage=22, stale-while-revalidate=33"


@pytest.fixture(scope="module", params=[2, 10], ids=["2-articles", "10-articles"])
def newsroom(request, module_db):
    """The brand, Politik, Anna and the articles (2 or 10), built once for each number in a
    savepoint of the module's transaction (``module_db``) and rolled back before the next;
    the tests read them, and what a test adds is rolled back with its own savepoint."""
    with transaction.atomic():
        make_brand(Site.objects.get(is_default_site=True))
        politik = make_ressort(home_page(), "Politik", "politik")
        anna = Author.objects.create(name="Anna Berg", slug="anna-berg", role="Korrespondentin")
        nato = Topic.objects.create(name="Nato", slug="nato", description="Das Bündnis.")
        ukraine = Topic.objects.create(name="Ukraine", slug="ukraine")
        images = [ImageFactory(width=1600, height=900) for _ in range(2)]
        start = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
        articles = [
            ArticlePageFactory(
                publish=False,
                parent=politik,
                first_published_at=start + timedelta(hours=n),
                lead_image=images[n % 2],
                authors=[anna, AuthorFactory()],
                topics=[nato, ukraine],
            )
            for n in range(request.param)
        ]
        yield {"politik": politik.pk, "anna": anna, "articles": articles}
        transaction.set_rollback(True)


@pytest.fixture
def articles(newsroom, db):
    return newsroom["articles"]


@pytest.fixture
def politik(newsroom, db):
    """Read afresh: a test that adds an article changes its parent in memory."""
    return RessortPage.objects.get(pk=newsroom["politik"])


@pytest.fixture
def anna(newsroom, db):
    return newsroom["anna"]


@pytest.mark.parametrize("prefix", list(EXPECTED_QUERIES))
def test_a_feed_costs_the_same_queries_for_any_number_of_items(
    client, articles, prefix, django_assert_num_queries
):
    for path in feed_paths(prefix):
        # The first request makes the renditions, as the first page view does on a site.
        assert len(item_links(client, path)) == len(articles)
        with django_assert_num_queries(EXPECTED_QUERIES[prefix]):
            assert client.get(path).status_code == 200


@pytest.fixture
def cached(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_SECONDS = 11
    settings.PAGE_CACHE_SHARED_SECONDS = 22
    settings.PAGE_CACHE_STALE_SECONDS = 33


@pytest.mark.parametrize("path", [*SITE_FEEDS, "/feeds/ressort/politik/atom.xml"])
def test_feeds_are_cached_publicly_until_an_article_is_published(
    client, cached, articles, politik, anna, path, django_assert_num_queries,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    first = client.get(path)
    assert first["Cache-Control"] == PUBLIC
    with django_assert_num_queries(0):
        again = client.get(path)
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Cache-Control"] == PUBLIC

    with django_capture_on_commit_callbacks(execute=True):
        fresh = ArticlePageFactory(parent=politik, title="Eilmeldung", authors=[anna])
    assert item_links(client, path)[0] == fresh.get_full_url()


def test_feeds_name_their_version_and_answer_conditional_requests(client, cached, articles):
    path = "/feeds/rss.xml"
    newest = articles[-1]
    response = client.get(path)
    etag = response["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert response["Last-Modified"] == http_date(newest.last_published_at.timestamp())

    # From the page cache, then from the view once the cache is purged: 304 both times.
    for purge in (False, True):
        if purge:
            purge_page_cache()
        not_modified = client.get(path, HTTP_IF_NONE_MATCH=etag)
        assert not_modified.status_code == 304
        assert not_modified.content == b""
        assert not_modified["ETag"] == etag
        assert not_modified["Cache-Control"] == PUBLIC
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304
    assert client.get(path, HTTP_IF_NONE_MATCH='"anders"').status_code == 200
    earlier = http_date(newest.last_published_at.timestamp() - 60)
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200


def test_a_cached_html_page_is_not_answered_with_304(client, cached, articles):
    # Pages without a validator of their own keep answering in full.
    first = client.get("/politik/")
    assert "ETag" not in first and "Last-Modified" not in first
    again = client.get("/politik/", HTTP_IF_MODIFIED_SINCE=http_date(2_000_000_000))
    assert again.status_code == 200
