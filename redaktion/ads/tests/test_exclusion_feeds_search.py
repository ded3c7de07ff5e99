"""Ads never reach feeds or search: a running native ad about the same subject as an article
shows up in neither, while the article does (so the checks can see what they look for)."""

import pytest

from redaktion.ads.factories import NATIVE_TITLE, running_native_campaign
from redaktion.news.factories import RessortPageFactory, reseed
from redaktion.search.tests.helpers import article

pytestmark = pytest.mark.django_db

FEEDS = ["/feeds/rss.xml", "/feeds/atom.xml", "/feeds/feed.json"]
ARTICLE_TITLE = "Sturmflut an der Ostsee erwartet"


@pytest.fixture
def ostsee(home_page, django_capture_on_commit_callbacks):
    reseed()
    ressort = RessortPageFactory(parent=home_page, title="Panorama", slug="panorama")
    with django_capture_on_commit_callbacks(execute=True):  # search index, cache purge
        story = article(ressort, title=ARTICLE_TITLE, body="Die Ostsee steigt am Abend.")
    campaign = running_native_campaign(advertiser="Reisewelt Nord")
    return story, campaign


@pytest.mark.parametrize(
    "path", [*FEEDS, *(p.replace("/feeds/", "/feeds/ressort/panorama/") for p in FEEDS)]
)
def test_feeds_carry_the_article_and_never_the_ad(ostsee, client, path):
    body = client.get(path).content.decode()
    assert ARTICLE_TITLE in body
    assert NATIVE_TITLE not in body
    assert "Reisewelt Nord" not in body
    assert "/anzeigen/" not in body


def test_search_finds_the_article_and_never_the_ad(ostsee, client):
    html = client.get("/suche/", {"q": "Ostsee"}).content.decode()
    assert "Sturmflut an der <mark>Ostsee</mark> erwartet" in html
    assert NATIVE_TITLE.split(":")[1].strip() not in html  # "Urlaub an der Ostsee"
    assert "Reisewelt Nord" not in html

    suggestions = client.get("/suche/vorschlaege/", {"q": "Ostse"}).content.decode()
    assert "Sturmflut" in suggestions
    assert "Urlaub" not in suggestions
