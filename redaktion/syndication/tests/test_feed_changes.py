"""Feeds after an article, a page or a file changes, and feeds of no or unknown subjects:
tests that write, so not in ``test_feeds.py``, whose tests share one newsroom."""

import feedparser
import pytest
from wagtail.models import Page

from redaktion.news.factories import StandardPageFactory
from redaktion.news.models import ArticlePage

from .feeds import NS, build_newsroom, feed_paths, item_links, json_feed, rfc_3339, rss
from .feeds import atom as atom_feed
from .helpers import ROOT_URL, make_ressort


@pytest.fixture
def newsroom(brand, politik, wirtschaft, anna, jonas, nato, ukraine):
    return build_newsroom(
        politik=politik, wirtschaft=wirtschaft, anna=anna, jonas=jonas, nato=nato, ukraine=ukraine
    )


def test_updated_is_the_last_publication_when_the_editor_set_no_update_time(client, newsroom):
    older = newsroom.older
    older.title = "Wahlkampf beginnt früher"
    older.save_revision().publish()
    older.refresh_from_db()
    entry = [
        entry
        for entry in atom_feed(client, "/feeds/atom.xml").findall("atom:entry", NS)
        if entry.findtext("atom:title", namespaces=NS) == "Wahlkampf beginnt früher"
    ][0]
    updated = rfc_3339(entry.findtext("atom:updated", namespaces=NS))
    assert updated == older.last_published_at.replace(microsecond=0)
    assert rfc_3339(entry.findtext("atom:published", namespaces=NS)) == older.first_published_at


def test_the_same_article_has_the_same_id_in_every_format_and_after_a_move(
    client, newsroom, wirtschaft
):
    def ids_of_winter():
        rss_id = rss(client, "/feeds/rss.xml").find("item").findtext("guid")
        atom_id = (
            atom_feed(client, "/feeds/atom.xml")
            .find("atom:entry", NS)
            .findtext("atom:id", namespaces=NS)
        )
        json_id = json_feed(client, "/feeds/feed.json")["items"][0]["id"]
        return rss_id, atom_id, json_id

    before = ids_of_winter()
    assert len(set(before)) == 1
    Page.objects.get(pk=newsroom.winter.pk).move(wirtschaft, pos="last-child")
    page = ArticlePage.objects.get(pk=newsroom.winter.pk)
    page.slug = "gipfel-umbenannt"
    page.save_revision().publish()
    assert ids_of_winter() == before
    assert item_links(client, "/feeds/rss.xml")[0] == f"{ROOT_URL}/wirtschaft/gipfel-umbenannt/"


def test_an_empty_feed_is_still_valid(client, brand, politik):
    channel = rss(client, "/feeds/ressort/politik/rss.xml")
    assert channel.findall("item") == []
    assert channel.findtext("description") == "Die neuesten Artikel im Ressort Politik"
    parsed = feedparser.parse(client.get("/feeds/ressort/politik/atom.xml").content)
    assert not parsed.bozo
    assert json_feed(client, "/feeds/ressort/politik/feed.json")["items"] == []


@pytest.mark.parametrize(
    "path",
    [
        *feed_paths("/feeds/ressort/gibts-nicht/"),
        *feed_paths("/feeds/thema/gibts-nicht/"),
        *feed_paths("/feeds/autor/gibts-nicht/"),
        # A page that is no Ressort, and a Ressort that is not live.
        "/feeds/ressort/impressum/rss.xml",
        "/feeds/ressort/archiviert/atom.xml",
    ],
)
def test_unknown_subjects_are_404(client, brand, home_page, politik, path):
    StandardPageFactory(parent=home_page, title="Impressum", slug="impressum")
    make_ressort(home_page, "Archiviert", "archiviert").unpublish()
    assert client.get(path).status_code == 404


def test_the_lead_image_length_is_zero_when_its_file_is_gone(client, newsroom):
    rendition = newsroom.winter.lead_image.get_rendition("fill-1200x675|format-jpeg")
    rendition.file.storage.delete(rendition.file.name)
    enclosure = rss(client, "/feeds/rss.xml").find("item/enclosure")
    assert enclosure.get("length") == "0"
    assert enclosure.get("type") == "image/jpeg"
