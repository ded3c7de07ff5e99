"""An article's own part (headline, meta, lead, picture, topics, body with its ad slots), its
SEO head and its topics and authors are fragments: a page-cache miss after a publish
elsewhere renders only what changed (the river), reads everything else in one cache round
trip and asks the database for the page and the view restrictions alone; and what readers
see of the article still changes with every edit that reaches it."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from redaktion.ads.factories import slot_enable
from redaktion.ads.models import Placement
from redaktion.core import fragments, surrogate
from redaktion.news import keys
from redaktion.news.factories import (
    ArticlePageFactory,
    AuthorFactory,
    ImageFactory,
    TopicFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fragments_without_page_cache")]

START = datetime(2024, 4, 24, 6, 0, tzinfo=UTC)
BEACON = 'data-ad-beacon="/anzeigen/sichtkontakt/"'


@pytest.fixture
def article(ressorts):
    for n in range(3):
        ArticlePageFactory(
            publish=False,
            parent=ressorts["Politik"],
            title=f"Meldung {n}",
            first_published_at=START + timedelta(hours=n),
        )
    return ArticlePageFactory(
        publish=False,
        parent=ressorts["Politik"],
        title="Wahl in Hessen",
        lead_image=ImageFactory(width=1600, height=900),
        authors=[AuthorFactory(name="Anna Schmidt", slug="anna")],
        topics=[TopicFactory(name="Landtag", slug="landtag")],
        body=[
            ("paragraph", "<p>Erster Absatz</p>"),
            ("paragraph", "<p>Zweiter Absatz</p>"),
            ("paragraph", "<p>Dritter Absatz</p>"),
            ("paragraph", "<p>Vierter Absatz</p>"),
        ],
    )


def warm(client, url: str):
    """Three views: the fragments built, read one by one, then read at once with the
    generations of what the process keeps (the site, the brand)."""
    for _ in range(3):
        assert client.get(url).status_code == 200


def round_trips(monkeypatch) -> list[str]:
    """The calls of the page cache (the fragments' and the generations'), outermost only:
    the in-memory cache of the tests answers ``get_many`` with a ``get`` per key, where
    Redis takes one round trip."""
    cache = surrogate.page_cache()
    calls, depth = [], [0]

    def counting(name, method):
        def counted(*args, **kwargs):
            if not depth[0]:
                calls.append(name)
            depth[0] += 1
            try:
                return method(*args, **kwargs)
            finally:
                depth[0] -= 1

        return counted

    for name in ("get", "get_many", "set", "add", "set_many", "delete"):
        monkeypatch.setattr(cache, name, counting(name, getattr(cache, name)))
    return calls


def test_a_warm_miss_is_two_queries_and_one_cache_round_trip(client, article, monkeypatch):
    warm(client, article.url)
    calls = round_trips(monkeypatch)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.url)
    assert response.status_code == 200
    # The page (its route is known) and the view restrictions; the fragments, the site's
    # and the ads snapshot's generations in one get_many.
    assert len(queries.captured_queries) == 2
    assert calls == ["get_many"]
    assert "Wahl in Hessen" in response.text and "Anna Schmidt" in response.text


def test_the_page_from_fragments_is_the_page_built_without_them(client, settings, article):
    slot_enable(Placement.ARTICLE_INLINE.value, position=2)
    slot_enable(Placement.ARTICLE_BOTTOM.value)
    settings.FRAGMENT_CACHE_ENABLED = False
    uncached = client.get(article.url)
    settings.FRAGMENT_CACHE_ENABLED = True
    cold = client.get(article.url)
    warm(client, article.url)
    hot = client.get(article.url)
    assert uncached.content == cold.content == hot.content
    assert hot["Surrogate-Key"] == cold["Surrogate-Key"] == uncached["Surrogate-Key"]
    html = hot.content.decode()
    # The slot inside the cached part included the ads script: the one after it does not.
    assert 'data-ad-slot="article_inline"' in html and 'data-ad-slot="article_bottom"' in html
    assert html.count("ads/ads.js") == 1
    assert '<meta property="og:image"' in html and "Landtag" in html


def test_an_author_renamed_shows_on_the_article(client, article, run_tasks):
    warm(client, article.url)
    author = article.authors[0]
    with run_tasks():
        author.name = "Anna Schmidt-Berg"
        author.save()
    html = client.get(article.url).text
    byline = html.split('class="article__byline"')[1].split("</p>")[0]
    assert "Anna Schmidt-Berg" in byline
    assert "Anna Schmidt-Berg" in html.split("</head>")[0]  # the SEO head's author


def test_a_topic_renamed_shows_on_the_article(client, article, run_tasks):
    warm(client, article.url)
    topic = article.topics.get()
    with run_tasks():
        topic.name = "Landtagswahl"
        topic.save()
    html = client.get(article.url).text
    assert 'class="chip" href="/thema/landtag/">Landtagswahl</a>' in html


def test_the_article_part_is_purged_with_the_article_key(client, article):
    warm(client, article.url)
    type(article).objects.filter(pk=article.pk).update(kicker="Hintergrund zur Wahl")
    assert "Hintergrund zur Wahl" not in client.get(article.url).text
    surrogate.purge([keys.article(article.pk)])
    assert "Hintergrund zur Wahl" in client.get(article.url).text


def test_a_river_purge_renders_the_river_only(client, article, ressorts, monkeypatch):
    warm(client, article.url)
    ArticlePageFactory(publish=False, parent=ressorts["Politik"], title="Sondermeldung")
    surrogate.purge([keys.RIVER])
    built = []
    fragment = fragments.fragment

    def recording(name, build, **kwargs):
        return fragment(name, lambda: (built.append(name.split(":")[0]), build())[1], **kwargs)

    monkeypatch.setattr("redaktion.news.templatetags.news_tags.fragment", recording)
    monkeypatch.setattr("redaktion.news.models.fragment", recording)
    assert "Sondermeldung" in client.get(article.url).text
    assert built == ["river"]


def test_an_editor_gets_slots_without_the_beacon_after_a_reader(client, article):
    slot_enable(Placement.ARTICLE_INLINE.value, position=2)
    warm(client, article.url)
    assert BEACON in client.get(article.url).text
    editor = get_user_model().objects.create_user("lena", "lena@example.org", "x" * 12)
    client.force_login(editor)
    html = client.get(article.url).text
    assert 'data-ad-slot="article_inline"' in html and BEACON not in html
    client.logout()
    assert BEACON in client.get(article.url).text
