"""The article editor speaks the newsroom's German, including labels Wagtail brings along."""

from django.urls import reverse
from wagtail.models import Collection
from wagtail.users.models import UserProfile

from redaktion.desk.services import CHEF_VOM_DIENST, desk_setup
from redaktion.news.factories import ImageFactory

from .helpers import make_article, make_ressort, make_user


def test_article_editor_says_ueberschrift_and_the_collection_medien(client, home_page):
    article = make_article(make_ressort(home_page, "Politik"), "Wahl in Hessen")
    german_editor(client)

    page = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()

    assert "Überschrift" in page and "in Teasern und in Feeds" in page
    assert "Seitentitel" not in page
    assert Collection.get_first_root_node().name == "Medien"


def german_editor(client):
    desk_setup()
    editor = make_user("clara", CHEF_VOM_DIENST)
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "de"
    profile.save()
    client.force_login(editor)


def test_the_editor_warns_about_an_article_without_a_lead_image(client, home_page):
    politik = make_ressort(home_page, "Politik")
    without = make_article(politik, "Ohne Bild")
    with_image = make_article(politik, "Mit Bild", lead_image=ImageFactory())
    german_editor(client)
    warning = "Dieser Artikel hat kein Aufmacherbild"

    def editor_page(article):
        return client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()

    assert warning in editor_page(without)
    assert warning not in editor_page(with_image)
