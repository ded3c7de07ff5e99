"""RSS 2.0, Atom and JSON Feed: what feed readers and validators check."""

import re
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import feedparser
import pytest
from django.utils.html import escape
from wagtail.models import Page

from redaktion.news.factories import ArticlePageFactory, StandardPageFactory
from redaktion.news.models import ArticlePage

from .feeds import (
    ALL_FEEDS,
    DC_NS,
    NS,
    SITE_FEEDS,
    build_newsroom,
    feed_paths,
    item_links,
    json_feed,
    rss,
)
from .feeds import atom as atom_feed
from .helpers import BRAND_NAME, ROOT_URL, make_ressort

BERLIN = ZoneInfo("Europe/Berlin")
# RFC 822 as RSS 2.0 uses it (four-digit year, numeric zone) and RFC 3339 with an offset.
RFC_822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d{4} \d\d:\d\d:\d\d [+-]\d{4}$"
)
RFC_3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$")


@pytest.fixture
def newsroom(brand, politik, wirtschaft, anna, jonas, nato, ukraine):
    return build_newsroom(
        politik=politik, wirtschaft=wirtschaft, anna=anna, jonas=jonas, nato=nato, ukraine=ukraine
    )


def is_absolute(url: str) -> bool:
    return url.startswith(f"{ROOT_URL}/")


def rfc_822(value: str):
    assert RFC_822.match(value), value
    return parsedate_to_datetime(value)


def rfc_3339(value: str):
    assert RFC_3339.match(value), value
    return datetime.fromisoformat(value)


def assert_berlin_time(parsed, expected):
    """Same instant as ``expected``, written with Berlin's offset at that instant."""
    assert parsed == expected
    assert parsed.utcoffset() == expected.astimezone(BERLIN).utcoffset()


@pytest.mark.parametrize("path", [p for p in ALL_FEEDS if not p.endswith(".json")])
def test_feedparser_reads_every_xml_feed_without_complaint(client, newsroom, path):
    parsed = feedparser.parse(client.get(path).content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version in {"rss20", "atom10"}
    assert parsed.entries
    for entry in parsed.entries:
        assert entry.title and entry.link and entry.id
        assert entry.published_parsed and entry.updated_parsed


def test_feedparser_sees_what_the_rss_feed_says(client, newsroom):
    parsed = feedparser.parse(client.get("/feeds/rss.xml").content)
    assert parsed.feed.title == BRAND_NAME
    assert parsed.feed.language == "de"
    first, second, __ = parsed.entries
    assert first.title == "Gipfel in Brüssel"
    assert [author["name"] for author in first.authors] == ["Anna Berg", "Jonas Weber"]
    assert [tag.term for tag in first.tags] == ["Politik", "Nato", "Ukraine"]
    assert first.enclosures[0].type == "image/jpeg"
    assert second.title == "Zölle & <Handel>: was sich ändert"


def test_rss_channel_and_items(client, newsroom):
    channel = rss(client, "/feeds/rss.xml")
    assert channel.findtext("title") == BRAND_NAME
    assert channel.findtext("link") == f"{ROOT_URL}/"
    assert channel.findtext("description") == f"Die neuesten Artikel von {BRAND_NAME}"
    assert channel.findtext("language") == "de"
    assert channel.find("atom:link[@rel='self']", NS).get("href") == f"{ROOT_URL}/feeds/rss.xml"
    winter = newsroom.winter
    assert_berlin_time(rfc_822(channel.findtext("lastBuildDate")), winter.updated_at)

    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == [
        "Gipfel in Brüssel",
        "Zölle & <Handel>: was sich ändert",
        "Wahlkampf beginnt",
    ]
    for item in items:
        assert is_absolute(item.findtext("link"))
        assert item.find("guid").get("isPermaLink") == "false"
    guids = [item.findtext("guid") for item in items]
    assert len(set(guids)) == len(guids)
    assert all(guid.startswith("urn:uuid:") for guid in guids)

    first, summer, older = items
    assert first.findtext("link") == f"{ROOT_URL}/politik/{winter.slug}/"
    # The lead is text; in the HTML of a description its "<" must stay text.
    assert first.findtext("description") == escape(winter.lead)
    assert_berlin_time(rfc_822(first.findtext("pubDate")), winter.first_published_at)
    assert first.findtext("pubDate").endswith("+0100")
    assert summer.findtext("pubDate").endswith("+0200")
    assert_berlin_time(rfc_822(summer.findtext("pubDate")), newsroom.summer.first_published_at)
    assert [creator.text for creator in first.findall("dc:creator", {"dc": DC_NS})] == [
        "Anna Berg",
        "Jonas Weber",
    ]
    assert [category.text for category in first.findall("category")] == [
        "Politik",
        "Nato",
        "Ukraine",
    ]
    assert [category.text for category in summer.findall("category")] == ["Wirtschaft"]


def test_rss_enclosure_names_url_length_and_type(client, newsroom, settings):
    channel = rss(client, "/feeds/rss.xml")
    first, summer, __ = channel.findall("item")
    enclosure = first.find("enclosure")
    url = enclosure.get("url")
    assert is_absolute(url)
    assert url.endswith(".fill-1200x675.format-jpeg.jpg")
    assert enclosure.get("type") == "image/jpeg"
    rendition = newsroom.winter.lead_image.get_rendition("fill-1200x675|format-jpeg")
    assert int(enclosure.get("length")) == rendition.file.size > 0
    assert urlsplit(url).path == rendition.url
    assert summer.find("enclosure") is None


def test_atom_feed_and_entries(client, newsroom):
    feed = atom_feed(client, "/feeds/ressort/politik/atom.xml")
    self_url = f"{ROOT_URL}/feeds/ressort/politik/atom.xml"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "de"
    assert feed.findtext("atom:id", namespaces=NS) == self_url
    assert feed.findtext("atom:title", namespaces=NS) == f"Politik – {BRAND_NAME}"
    assert feed.find("atom:link[@rel='self']", NS).get("href") == self_url
    assert feed.find("atom:link[@rel='alternate']", NS).get("href") == f"{ROOT_URL}/politik/"
    assert feed.findtext("atom:author/atom:name", namespaces=NS) == BRAND_NAME
    winter = newsroom.winter
    assert_berlin_time(rfc_3339(feed.findtext("atom:updated", namespaces=NS)), winter.updated_at)

    entries = feed.findall("atom:entry", NS)
    assert [entry.findtext("atom:title", namespaces=NS) for entry in entries] == [
        "Gipfel in Brüssel",
        "Wahlkampf beginnt",
    ]
    ids = [entry.findtext("atom:id", namespaces=NS) for entry in entries]
    assert len(set(ids)) == len(ids) == 2
    for entry in entries:
        # RFC 4287: every entry has id, title, updated and an alternate link; authors here.
        assert entry.findtext("atom:updated", namespaces=NS)
        assert is_absolute(entry.find("atom:link[@rel='alternate']", NS).get("href"))
        assert entry.find("atom:author/atom:name", NS) is not None

    first = entries[0]
    assert_berlin_time(
        rfc_3339(first.findtext("atom:published", namespaces=NS)), winter.first_published_at
    )
    assert_berlin_time(rfc_3339(first.findtext("atom:updated", namespaces=NS)), winter.updated_at)
    summary = first.find("atom:summary", NS)
    assert summary.get("type") == "html"
    assert summary.text == escape(winter.lead)
    assert [
        (author.findtext("atom:name", namespaces=NS), author.findtext("atom:uri", namespaces=NS))
        for author in first.findall("atom:author", NS)
    ] == [
        ("Anna Berg", f"{ROOT_URL}/autor/anna-berg/"),
        ("Jonas Weber", f"{ROOT_URL}/autor/jonas-weber/"),
    ]
    enclosure = first.find("atom:link[@rel='enclosure']", NS)
    assert is_absolute(enclosure.get("href"))
    assert enclosure.get("type") == "image/jpeg"
    assert int(enclosure.get("length")) > 0
    assert [c.get("term") for c in first.findall("atom:category", NS)] == [
        "Politik",
        "Nato",
        "Ukraine",
    ]


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


def test_json_feed(client, newsroom):
    data = json_feed(client, "/feeds/thema/nato/feed.json")
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["title"] == f"Nato – {BRAND_NAME}"
    assert data["home_page_url"] == f"{ROOT_URL}/thema/nato/"
    assert data["feed_url"] == f"{ROOT_URL}/feeds/thema/nato/feed.json"
    assert data["description"] == "Das Bündnis."
    assert data["language"] == "de"
    assert data["authors"] == [{"name": BRAND_NAME, "url": f"{ROOT_URL}/"}]
    assert isinstance(data["items"], list)
    assert [item["title"] for item in data["items"]] == ["Gipfel in Brüssel", "Wahlkampf beginnt"]
    ids = [item["id"] for item in data["items"]]
    assert all(isinstance(value, str) and value for value in ids)
    assert len(set(ids)) == len(ids)
    for item in data["items"]:
        assert isinstance(item["url"], str) and is_absolute(item["url"])
        assert isinstance(item["content_text"], str) and item["content_text"]
        assert isinstance(item["authors"], list)
        assert all(isinstance(author["name"], str) for author in item["authors"])
        assert isinstance(item["tags"], list)
        rfc_3339(item["date_published"])
        rfc_3339(item["date_modified"])

    first = data["items"][0]
    winter = newsroom.winter
    assert first["summary"] == first["content_text"] == winter.lead
    assert is_absolute(first["image"])
    assert first["image"].endswith(".fill-1200x675.format-jpeg.jpg")
    assert_berlin_time(rfc_3339(first["date_published"]), winter.first_published_at)
    assert_berlin_time(rfc_3339(first["date_modified"]), winter.updated_at)
    assert first["authors"] == [
        {"name": "Anna Berg", "url": f"{ROOT_URL}/autor/anna-berg/"},
        {"name": "Jonas Weber", "url": f"{ROOT_URL}/autor/jonas-weber/"},
    ]
    assert first["tags"] == ["Politik", "Nato", "Ukraine"]
    assert "image" not in data["items"][1]


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


@pytest.mark.parametrize("path", ALL_FEEDS)
def test_drafts_scheduled_future_and_private_articles_stay_out(client, newsroom, path):
    links = item_links(client, path)
    assert links
    hidden = {name: page.get_full_url() for name, page in newsroom.hidden.items()}
    assert all(hidden.values())
    assert not set(links) & set(hidden.values()), hidden


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("/feeds/", ["winter", "summer", "older"]),
        ("/feeds/ressort/politik/", ["winter", "older"]),
        ("/feeds/ressort/wirtschaft/", ["summer"]),
        ("/feeds/thema/nato/", ["winter", "older"]),
        ("/feeds/thema/ukraine/", ["winter"]),
        ("/feeds/autor/anna-berg/", ["winter", "summer"]),
        ("/feeds/autor/jonas-weber/", ["winter", "older"]),
    ],
)
def test_each_feed_lists_its_articles_newest_first(client, newsroom, prefix, expected):
    urls = [getattr(newsroom, name).get_full_url() for name in expected]
    for path in feed_paths(prefix):
        assert item_links(client, path) == urls, path


def test_feed_length_is_a_setting(client, newsroom, settings):
    settings.FEED_LENGTH = 2
    for path in SITE_FEEDS:
        assert item_links(client, path) == [
            newsroom.winter.get_full_url(),
            newsroom.summer.get_full_url(),
        ]


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


def test_dates_follow_the_site_time_zone_across_the_change_to_summer_time(client, newsroom):
    # 01:30 UTC on the last Sunday of March is 03:30 summer time; an hour before, 01:30
    # winter time.
    change = newsroom.winter.first_published_at.replace(month=3, day=29, hour=1, minute=30)
    after = ArticlePageFactory(
        parent=newsroom.winter.get_parent().specific,
        title="Nach der Zeitumstellung",
        first_published_at=change,
        authors=[],
    )
    before = ArticlePageFactory(
        parent=newsroom.winter.get_parent().specific,
        title="Vor der Zeitumstellung",
        first_published_at=change - timedelta(hours=1),
        authors=[],
    )
    dates = {
        item.findtext("title"): item.findtext("pubDate")
        for item in rss(client, "/feeds/rss.xml").iterfind("item")
    }
    assert dates[after.title] == "Sun, 29 Mar 2026 03:30:00 +0200"
    assert dates[before.title] == "Sun, 29 Mar 2026 01:30:00 +0100"
