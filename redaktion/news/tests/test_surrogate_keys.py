"""Every public response names what it shows (``Surrogate-Key``), and a purge by key
re-renders exactly the pages that show the article it names; the others are still served
from the page cache (no query)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from redaktion.core import surrogate
from redaktion.news import keys
from redaktion.news.events import ArticleEvent, ArticleFacts, EventKind
from redaktion.news.factories import ArticlePageFactory
from redaktion.search.services import search_rebuild

from .purges import keys_of, rerendered, warm

pytestmark = pytest.mark.django_db


def articles_in(found: set[str]) -> set[str]:
    return {key for key in found if key.startswith("article-")}


@pytest.fixture
def room(newsroom_once):
    """The newsroom, built once for the module: its tests only read it and the cache."""
    return newsroom_once


def test_an_article_page_names_itself_its_ressort_the_river_and_its_related_list(client, room):
    article = room["article"]
    found = keys_of(client.get(article.url))
    assert {
        surrogate.SITE,
        keys.RIVER,
        keys.page(article.pk),
        keys.page(room["ressorts"]["Politik"].pk),
        keys.article(article.pk),
        keys.article(room["pick"].pk),  # "Mehr zum Thema"
        keys.article(room["older"].pk),  # "Mehr zum Thema"
        keys.article(room["newer"].pk),  # the river
    } <= found


def test_listing_pages_name_their_listing_and_every_article_they_show(client, room):
    politik, technologie = room["ressorts"]["Politik"], room["ressorts"]["Technologie"]
    syrien, _nato = room["topics"]
    anna, _jonas = room["authors"]
    article, older, newer = room["article"], room["older"], room["newer"]

    home = keys_of(client.get("/"))
    assert {keys.HOME, keys.page(home_pk(client)), surrogate.SITE} <= home
    assert {keys.article(a.pk) for a in (article, older, newer, room["pick"])} <= home

    ressort = keys_of(client.get("/politik/"))
    assert {keys.ressort(politik.pk), keys.page(politik.pk)} <= ressort
    assert articles_in(ressort) == {keys.article(article.pk), keys.article(older.pk)}
    assert keys.ressort(technologie.pk) not in ressort

    topic = keys_of(client.get("/thema/syrien/"))
    assert keys.topic(syrien.pk) in topic
    assert articles_in(topic) == {keys.article(article.pk)}

    author = keys_of(client.get("/autor/anna-berger/"))
    assert keys.author(anna.pk) in author
    assert articles_in(author) == {keys.article(article.pk)}

    month = keys_of(client.get("/archiv/2015/10/"))
    assert keys.archive(datetime(2015, 10, 6, 16, 15, tzinfo=UTC)) in month
    assert keys.archive_month(2015, 9) not in month
    year = keys_of(client.get("/archiv/2015/"))
    assert {keys.archive_month(2015, m) for m in range(1, 13)} <= year

    impressum = keys_of(client.get("/impressum/"))
    assert impressum == {surrogate.SITE, keys.page(room["impressum"].pk)}


def home_pk(client) -> int:
    from redaktion.news.models import HomePage

    return HomePage.objects.get().pk


def test_feeds_name_their_subject_and_their_items(client, room):
    politik = room["ressorts"]["Politik"]
    syrien, _nato = room["topics"]
    anna, _jonas = room["authors"]
    shown = {keys.article(a.pk) for a in (room["article"], room["older"])}

    site_feed = keys_of(client.get(reverse("feeds:rss")))
    assert keys.FEEDS in site_feed
    assert articles_in(site_feed) == {
        keys.article(a.pk) for a in (room["article"], room["older"], room["newer"], room["pick"])
    }
    ressort = keys_of(client.get(reverse("feeds:ressort_atom", kwargs={"slug": "politik"})))
    assert keys.ressort(politik.pk) in ressort and articles_in(ressort) == shown
    topic = keys_of(client.get(reverse("feeds:topic_json", kwargs={"slug": "syrien"})))
    assert keys.topic(syrien.pk) in topic
    author = keys_of(client.get(reverse("feeds:author_rss", kwargs={"slug": "anna-berger"})))
    assert keys.author(anna.pk) in author


@pytest.mark.parametrize("url", ["/sitemap.xml", "/sitemap-pages.xml", "/sitemap-news.xml"])
def test_sitemaps_are_named_by_the_sitemap_key_alone(client, room, url):
    """A sitemap lists every article: per-article keys would not fit in a header."""
    assert keys_of(client.get(url)) == {surrogate.SITE, keys.SITEMAP}


def test_search_results_and_suggestions_name_search_and_the_articles_found(client, room):
    search_rebuild()
    results = keys_of(client.get("/suche/", {"q": "Nato"}))
    assert keys.SEARCH in results
    assert {keys.article(room["article"].pk), keys.article(room["older"].pk)} <= results
    assert keys.article(room["newer"].pk) not in results
    suggestions = keys_of(client.get("/suche/vorschlaege/", {"q": "Nat"}))
    assert keys.SEARCH in suggestions


def test_cache_tag_is_sent_when_the_cdn_asks_for_it(client, room, settings):
    assert "Cache-Tag" not in client.get("/politik/").headers
    settings.SURROGATE_CDN_HEADERS = ("Cache-Tag",)
    response = client.get("/finanzen/")
    assert response.headers["Cache-Tag"] == ",".join(sorted(keys_of(response)))
    # From the page cache: the same keys.
    cached = client.get("/finanzen/")
    assert cached.headers["Cache-Tag"] == response.headers["Cache-Tag"]


def test_responses_for_editors_and_errors_name_no_keys(client, room):
    assert "Surrogate-Key" not in client.get("/gibts-nicht/").headers
    assert "Surrogate-Key" not in client.get("/admin/login/").headers


# The purge set: which pages a purge re-renders.


def facts(article, **changes) -> ArticleFacts:
    article.refresh_from_db()
    return replace(
        ArticleFacts(
            title=article.title,
            url_path=article.url_path,
            ressort_id=article.get_parent().pk,
            topic_ids=tuple(sorted(t.pk for t in article.topics.all())),
            author_ids=tuple(sorted(a.author_id for a in article.article_authors.all())),
            first_published_at=article.first_published_at,
            updated_at=article.updated_at,
            revision_id=article.latest_revision_id,
        ),
        **changes,
    )


def test_a_correction_purges_exactly_the_pages_that_show_the_article(client, room):
    newer = room["newer"]
    pages = warm(client, room)
    assert rerendered(client, pages) == set()

    before = facts(newer)
    after = replace(before, title="KI-Startups in Deutschland (korrigiert)")
    surrogate.purge(ArticleEvent(EventKind.CHANGED, newer.pk, before, after).purge_keys())

    showing = {url for url, html in pages.items() if newer.title.encode() in html}
    assert {"/", "/technologie/", newer.url, room["article"].url, "/feeds/rss.xml"} <= showing
    # A new headline also purges the sitemaps, which list articles without naming their keys.
    assert rerendered(client, pages) == showing | {"/sitemap-news.xml"}
    with time_machine.travel(timezone.now() + timedelta(seconds=4), tick=False):
        assert rerendered(client, pages) == set()  # stored again


def test_a_publication_purges_its_lists_and_every_page_with_the_river(client, room):
    politik = room["ressorts"]["Politik"]
    _syrien, nato = room["topics"]
    pages = warm(client, room)
    fresh = ArticlePageFactory(
        publish=False, parent=politik, title="Neue Meldung", topics=[nato], authors=[]
    )
    event = ArticleEvent(EventKind.VISIBLE, fresh.pk, None, facts(fresh))
    surrogate.purge(event.purge_keys())

    article_pages = {room[name].url for name in ("article", "pick", "older", "newer")}
    assert rerendered(client, pages) == {
        "/",
        "/politik/",
        "/thema/nato/",
        "/feeds/rss.xml",
        "/feeds/ressort/politik/rss.xml",
        "/sitemap-news.xml",
        *article_pages,  # the river
    }


def test_a_purge_of_nothing_known_keeps_every_page(client, room):
    pages = warm(client, room)
    surrogate.purge(["article-999999", "topic-999999"])
    surrogate.purge([])
    assert rerendered(client, pages) == set()


def test_purge_page_cache_purges_every_page(client, room):
    from redaktion.core.middleware import purge_page_cache

    pages = warm(client, room)
    purge_page_cache()
    assert rerendered(client, pages) == set(pages)
