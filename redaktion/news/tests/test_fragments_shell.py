"""The shell of every page (the menu, the footer, the feed links in the head) is rendered
HTML kept in the fragment cache: per site and what marks it (the current Ressort, the
year, the subject of the feeds), purged with the site key."""

from datetime import UTC, datetime

import pytest
import time_machine

from redaktion.core import surrogate
from redaktion.news.factories import ArticlePageFactory, RessortPageFactory, TopicFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fragments_without_page_cache")]


def nav(html: str) -> str:
    return html.split('<nav class="ressort-nav"')[1].split("</nav>")[0]


def test_the_menu_marks_the_current_ressort_of_each_page(client, ressorts):
    politik, finanzen = ressorts["Politik"], ressorts["Finanzen"]
    article = ArticlePageFactory(publish=False, parent=finanzen, title="Zinsen")
    for _ in range(2):
        assert f'href="{politik.url}" aria-current="page"' in nav(client.get(politik.url).text)
        menu = nav(client.get(article.url).text)
        assert f'href="{finanzen.url}" aria-current="true"' in menu
        assert 'aria-current="page"' not in menu
        assert "aria-current" not in nav(client.get("/").text)


def test_a_new_ressort_joins_the_menu_when_the_site_key_is_purged(client, home_page, ressorts):
    assert "Feuilleton" not in nav(client.get("/").text)
    RessortPageFactory(parent=home_page, title="Feuilleton", slug="feuilleton", publish=False)
    assert "Feuilleton" not in nav(client.get("/").text)
    surrogate.purge([surrogate.SITE])
    assert "Feuilleton" in nav(client.get("/").text)


def test_the_footer_shows_the_year_of_the_request(client, ressorts):
    # A minute before and after midnight in Berlin: well within the fragment's lifetime.
    with time_machine.travel(datetime(2026, 12, 31, 22, 59, 30, tzinfo=UTC), tick=False):
        assert "© 2026" in client.get("/").text
    with time_machine.travel(datetime(2026, 12, 31, 23, 0, 30, tzinfo=UTC), tick=False):
        assert "© 2027" in client.get("/").text


def test_feed_links_name_the_topic_as_it_is_now(client, ressorts):
    ArticlePageFactory(publish=False, parent=ressorts["Politik"], topics=[TopicFactory()])
    topic = TopicFactory(name="Landtag", slug="landtag")
    ArticlePageFactory(publish=False, parent=ressorts["Politik"], topics=[topic])
    head = client.get("/thema/landtag/").text.split("</head>")[0]
    assert 'title="Landtag' in head
    topic.name = "Landtagswahl"
    topic.save()
    head = client.get("/thema/landtag/").text.split("</head>")[0]
    assert 'title="Landtagswahl' in head
