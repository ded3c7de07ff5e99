"""The river: newest first, never repeating what the page shows, at a fixed query cost."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from redaktion.news import selectors
from redaktion.news.factories import ArticlePageFactory, ImageFactory
from redaktion.news.models import ArticlePage

pytestmark = pytest.mark.django_db

START = datetime(2024, 4, 24, 6, 0, tzinfo=UTC)


def make_articles(ressorts, count, images=()):
    """``count`` articles, one per hour from START, spread over the Ressorts; every
    other one with a lead image from ``images``."""
    parents = list(ressorts.values())
    return [
        ArticlePageFactory(
            publish=False,
            parent=parents[n % len(parents)],
            title=f"Meldung {n}",
            first_published_at=START + timedelta(hours=n),
            lead_image=images[n % len(images)] if images and n % 2 else None,
        )
        for n in range(count)
    ]


@pytest.fixture
def images():
    return [ImageFactory(width=800, height=450) for _ in range(2)]


def test_newest_first_with_ressort_attached_without_queries(
    ressorts, images, django_assert_num_queries
):
    articles = make_articles(ressorts, 6, images)
    ressort_list = selectors.ressorts()
    latest = selectors.river(limit=4, ressort_list=ressort_list)
    assert [a.title for a in latest] == ["Meldung 5", "Meldung 4", "Meldung 3", "Meldung 2"]
    expected = [articles[n].get_parent().title for n in (5, 4, 3, 2)]
    with django_assert_num_queries(0):
        assert [a.ressort.title for a in latest] == expected


def test_excludes_what_the_page_already_shows(ressorts):
    articles = make_articles(ressorts, 6)
    shown = {articles[5].pk, articles[3].pk}
    latest = selectors.river(exclude_ids=shown, limit=10)
    assert [a.title for a in latest] == ["Meldung 4", "Meldung 2", "Meldung 1", "Meldung 0"]
    assert [a.title for a in selectors.river(exclude_ids=shown, limit=2, offset=2)] == [
        "Meldung 1",
        "Meldung 0",
    ]


def test_unpublished_articles_stay_out(ressorts):
    articles = make_articles(ressorts, 3)
    articles[2].unpublish()
    assert [a.title for a in selectors.river()] == ["Meldung 1", "Meldung 0"]


@pytest.mark.parametrize("count", [5, 50])
def test_fixed_number_of_queries_whatever_the_archive_size(
    ressorts, images, count, django_assert_num_queries
):
    make_articles(ressorts, count, images)
    for image in images:  # renditions are made once, on the first page view
        image.get_renditions(*selectors.TEASER_IMAGE_SPECS)
    ressort_list = selectors.ressorts()
    # view restrictions, articles, renditions of their lead images
    with django_assert_num_queries(3):
        latest = selectors.river(limit=20, ressort_list=ressort_list)
        for article in latest:
            assert article.ressort.title
            if article.lead_image:
                article.lead_image.get_renditions(*selectors.TEASER_IMAGE_SPECS)
    assert len(latest) == min(20, count)
    # and two more (view restrictions, Ressorts) when the caller has not loaded the Ressorts
    with django_assert_num_queries(5):
        selectors.river(limit=20)


def test_teaser_anatomy(client, brand, ressorts):
    lead = (
        "Auf den ersten Blick sieht die Zukunft des Erdölmarktes nicht rosig aus, angesichts "
        "der Abkehr von Treibstoffen, wie Benzin und Diesel. Doch die Petrochemie wächst."
    )
    ArticlePageFactory(
        publish=False,
        parent=ressorts["Technologie"],
        title="Petrochemie: Rettungsleine der Ölindustrie",
        kicker="",
        lead=lead,
        first_published_at=datetime(2024, 4, 24, 10, 0, tzinfo=UTC),
    )
    # The newest article of a Ressort page is its lead; the others are teasers.
    ArticlePageFactory(
        publish=False,
        parent=ressorts["Technologie"],
        title="KI-Hype in Deutschland",
        first_published_at=datetime(2024, 4, 25, 10, 0, tzinfo=UTC),
    )
    html = client.get("/technologie/").content.decode()
    lead = html.split('<article class="lead-story', 1)[1].split("</article>", 1)[0]
    assert "KI-Hype in Deutschland" in lead
    teaser = html.split('<article class="teaser">', 1)[1].split("</article>", 1)[0]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", teaser)).strip()
    expected_lead = (
        "Auf den ersten Blick sieht die Zukunft des Erdölmarktes nicht rosig aus, angesichts "
        "der Abkehr von Treibstoffen, wie Benzin und Diesel. Doch die..."
    )
    assert text == (
        f"DWN Technologie Petrochemie: Rettungsleine der Ölindustrie 24.04.2024 {expected_lead}"
    )
    assert len(expected_lead) <= 153
    assert '<a class="teaser__ressort" href="/technologie/">Technologie</a>' in teaser
    assert '<time datetime="2024-04-24T12:00:00+02:00">24.04.2024</time>' in teaser


def test_home_page_never_shows_an_article_twice(client, brand, ressorts, images, home_page):
    make_articles(ressorts, 40, images)
    html = client.get("/").content.decode()
    links = re.findall(r'class="teaser__link" href="([^"]+)"', html)
    assert len(links) == 1 + 3 * selectors.RESSORT_BLOCK_LENGTH + selectors.HOME_RIVER_LENGTH
    assert len(links) == len(set(links))


def test_home_page_leads_with_the_chosen_story(client, brand, ressorts, home_page):
    articles = make_articles(ressorts, 5)
    home_page.lead_story = articles[1]
    home_page.save_revision().publish()
    html = client.get("/").content.decode()
    lead = html.split('<article class="lead-story', 1)[1].split("</article>", 1)[0]
    assert "Meldung 1" in lead
    assert html.count(f'href="{articles[1].url}"') == 1


def test_home_page_falls_back_to_the_newest_when_the_lead_is_unpublished(
    client, brand, ressorts, home_page
):
    articles = make_articles(ressorts, 5)
    home_page.lead_story = articles[1]
    home_page.save_revision().publish()
    articles[1].unpublish()
    html = client.get("/").content.decode()
    lead = html.split('<article class="lead-story', 1)[1].split("</article>", 1)[0]
    assert "Meldung 4" in lead


def test_ressort_blocks_hold_the_newest_of_each_ressort_in_menu_order(ressorts):
    make_articles(ressorts, 15)
    blocks = ArticlePage.objects.ressort_blocks(selectors.ressorts(), per_ressort=2)
    assert [b.ressort.title for b in blocks] == ["Politik", "Finanzen", "Technologie"]
    assert [[a.title for a in b.articles] for b in blocks] == [
        ["Meldung 12", "Meldung 9"],
        ["Meldung 13", "Meldung 10"],
        ["Meldung 14", "Meldung 11"],
    ]


def test_article_river_leaves_out_the_article_and_its_related_links(client, newsroom):
    html = client.get(newsroom["article"].url).content.decode()
    river = html.split('id="river-title"', 1)[1]
    for key in ("article", "pick", "older"):
        assert f'href="{newsroom[key].url}"' not in river
    assert f'href="{newsroom["newer"].url}"' in river
