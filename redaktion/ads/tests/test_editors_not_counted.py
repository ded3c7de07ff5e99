"""An editor's preview and a logged-in editor's visit show the ads but never count them:
their slots carry no beacon address, so ads/ads.js sends nothing."""

import pytest
from django.contrib.auth import get_user_model

from redaktion.ads.factories import slot_enable
from redaktion.ads.models import Placement
from redaktion.news.factories import ArticlePageFactory, RessortPageFactory

pytestmark = pytest.mark.django_db

BEACON = 'data-ad-beacon="/anzeigen/sichtkontakt/"'


@pytest.fixture
def article(home_page):
    slot_enable(Placement.ARTICLE_BOTTOM.value)
    ressort = RessortPageFactory(parent=home_page, title="Politik", slug="politik")
    return ArticlePageFactory(parent=ressort, title="Wahl in Hessen")


def slots(html: str) -> int:
    return html.count('data-ad-slot="article_bottom"')


def test_readers_views_carry_the_beacon(client, article):
    response = client.get(article.url)
    html = response.content.decode()
    assert slots(html) == 1 and BEACON in html
    # Deciding that touched no session: the page stays cacheable for everyone.
    assert "Cookie" not in response.get("Vary", "")


def test_a_logged_in_editor_sees_the_ad_without_the_beacon(client, article):
    editor = get_user_model().objects.create_user("lena", "lena@example.org", "x" * 12)
    client.force_login(editor)

    html = client.get(article.url).content.decode()

    assert slots(html) == 1 and BEACON not in html
    client.logout()
    # The reader's page afterwards was not taken from the editor's render.
    assert BEACON in client.get(article.url).content.decode()


def test_a_preview_carries_no_beacon(article):
    draft = article.get_latest_revision_as_object()
    draft.title = "Entwurf"
    html = draft.make_preview_request().content.decode()
    assert "Entwurf" in html and slots(html) == 1 and BEACON not in html
