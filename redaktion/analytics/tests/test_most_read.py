""" "Meistgelesen": the last 24 hours (7 days on its page) from the hourly buckets, most views
first, published articles only, exclusions left out; the box on home, Ressort and article
pages, a fragment refreshed every few minutes; trending topics."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from redaktion.analytics import selectors
from redaktion.analytics.models import ArticleReadHour, MostReadExclusion
from redaktion.analytics.services import most_read_exclude
from redaktion.news.factories import ArticlePageFactory, RessortPageFactory, TopicFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)


def read(article, views, hours_ago=0):
    hour = NOW.replace(minute=0) - timedelta(hours=hours_ago)
    ArticleReadHour.objects.create(article=article, hour=hour, views=views)


@pytest.fixture
def newsroom(db):
    with time_machine.travel(NOW - timedelta(days=10), tick=False):
        politik, sport = RessortPageFactory(title="Politik"), RessortPageFactory(title="Sport")
        topic = TopicFactory(name="Wahl")
        old = ArticlePageFactory(parent=politik, title="Alt", publish=False, topics=[topic])
        newer = ArticlePageFactory(parent=politik, title="Neu", publish=False)
        match = ArticlePageFactory(parent=sport, title="Spiel", publish=False, topics=[topic])
    newer.first_published_at = NOW - timedelta(days=9)
    newer.save(update_fields=["first_published_at"])
    return {"politik": politik, "sport": sport, "old": old, "newer": newer, "match": match}


def box(html: str) -> str:
    """The "Meistgelesen" box of a page ("" without one)."""
    if 'class="most-read"' not in html:
        return ""
    return html.split('class="most-read"')[1].split("</section>")[0]


def titles(articles):
    return [article.title for article in articles]


def test_most_views_of_the_last_24_hours_first(newsroom, django_assert_num_queries):
    read(newsroom["old"], 5)
    read(newsroom["old"], 4, hours_ago=23)  # the 24th hour still counts: 9
    read(newsroom["old"], 100, hours_ago=24)  # outside the window
    read(newsroom["match"], 12, hours_ago=3)
    read(newsroom["newer"], 9, hours_ago=1)  # a tie with "Alt": the newer article first
    with time_machine.travel(NOW, tick=False), django_assert_num_queries(4):
        box = selectors.most_read()
    assert titles(box) == ["Spiel", "Neu", "Alt"]
    assert [article.views for article in box] == [12, 9, 9]
    assert [article.ressort.title for article in box] == ["Sport", "Politik", "Politik"]
    with time_machine.travel(NOW, tick=False):
        assert titles(selectors.most_read(ressort=newsroom["politik"])) == ["Neu", "Alt"]
        assert titles(selectors.most_read(hours=7 * 24)) == ["Alt", "Spiel", "Neu"]
    # An hour later the oldest bucket has left the window.
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        assert titles(selectors.most_read()) == ["Spiel", "Neu", "Alt"]
        assert [article.views for article in selectors.most_read()] == [12, 9, 5]


def test_unpublished_restricted_and_excluded_articles_never_show(newsroom):
    for article in ("old", "newer", "match"):
        read(newsroom[article], 10)
    newsroom["old"].unpublish()
    most_read_exclude(article=newsroom["newer"], reason="Nachruf")
    with time_machine.travel(NOW, tick=False):
        assert titles(selectors.most_read()) == ["Spiel"]
        newsroom["sport"].view_restrictions.create(restriction_type="password", password="x")
        assert titles(selectors.most_read()) == []


def test_trending_topics_from_the_same_counts(newsroom, django_assert_num_queries):
    second = TopicFactory(name="Fußball")
    newsroom["match"].topics.add(second)
    newsroom["match"].save()
    read(newsroom["old"], 3)
    read(newsroom["match"], 4)
    with time_machine.travel(NOW, tick=False), django_assert_num_queries(2):
        topics = selectors.trending_topics()
    assert [(topic.name, topic.views) for topic in topics] == [("Wahl", 7), ("Fußball", 4)]


def test_the_box_on_home_ressort_and_article_pages(client, newsroom, settings):
    read(newsroom["match"], 3)
    read(newsroom["old"], 2)
    with time_machine.travel(NOW, tick=False):
        home = client.get("/").content.decode()
        ressort = client.get(newsroom["politik"].url).content.decode()
        article = client.get(newsroom["newer"].url)
    assert box(home).index("Spiel") < box(home).index("Alt")
    assert "Alt" in box(ressort) and "Spiel" not in box(ressort)
    assert "Spiel" in box(article.content.decode())
    assert "most-read" in article["Surrogate-Key"].split()
    # The article page counts its read; the beacon names the article.
    assert f'data-read-article="{newsroom["newer"].pk}"' in article.content.decode()
    assert "analytics/reads.js" in article.content.decode()


def test_the_box_is_a_fragment_refreshed_every_few_minutes(client, newsroom, settings):
    settings.FRAGMENT_CACHE_ENABLED = True
    settings.PAGE_CACHE_ENABLED = False
    read(newsroom["match"], 3)
    with time_machine.travel(NOW, tick=False):
        assert "Spiel" in box(client.get("/").content.decode())
        read(newsroom["old"], 50)
        assert "Alt" not in box(client.get("/").content.decode())  # from the fragment
    with time_machine.travel(NOW + timedelta(seconds=settings.MOST_READ_REFRESH_SECONDS)):
        assert "Alt" in box(client.get("/").content.decode())


def test_an_exclusion_refreshes_the_box_at_once(client, newsroom, settings, run_tasks):
    settings.FRAGMENT_CACHE_ENABLED = True
    read(newsroom["match"], 3)
    with time_machine.travel(NOW, tick=False):
        assert "Spiel" in box(client.get("/").content.decode())
        with run_tasks():
            MostReadExclusion.objects.create(article=newsroom["match"])
        assert box(client.get("/").content.decode()) == ""


def test_the_week_page(client, newsroom):
    read(newsroom["old"], 2, hours_ago=6 * 24)
    read(newsroom["match"], 1)
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("analytics:most_read"))
    page = response.content.decode()
    assert response.status_code == 200
    main = page.split("<main")[1]
    assert main.index("Alt") < main.index("Spiel") and "Neu" not in main
    assert 'href="/thema/wahl/"' in main  # "Spiel" was read today: its topic is trending
    assert "most-read" in response["Surrogate-Key"].split()
