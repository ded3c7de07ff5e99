"""RSS 2.0, Atom and JSON Feed: what feed readers and validators check."""

from datetime import timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import feedparser
import pytest
from django.utils.html import escape
from wagtail.models import Site

from redaktion.news.factories import ArticlePageFactory, home_page
from redaktion.news.models import Author, Topic

from .feeds import (
    ALL_FEEDS,
    DC_NS,
    NS,
    SITE_FEEDS,
    build_newsroom,
    feed_paths,
    item_links,
    json_feed,
    rfc_822,
    rfc_3339,
    rss,
)
from .feeds import atom as atom_feed
from .helpers import BRAND_NAME, ROOT_URL, make_brand, make_ressort

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(scope="module")
def newsroom(module_db):
    """The brand, Politik and Wirtschaft, Anna and Jonas, Nato and Ukraine and the articles
    of ``build_newsroom``, built once for the module in its transaction (``module_db``): the
    tests here only read them (those that change them are in ``test_feed_changes.py``)."""
    make_brand(Site.objects.get(is_default_site=True))
    home = home_page()
    return build_newsroom(
        politik=make_ressort(home, "Politik", "politik"),
        wirtschaft=make_ressort(home, "Wirtschaft", "wirtschaft"),
        anna=Author.objects.create(name="Anna Berg", slug="anna-berg", role="Korrespondentin"),
        jonas=Author.objects.create(name="Jonas Weber", slug="jonas-weber"),
        nato=Topic.objects.create(name="Nato", slug="nato", description="Das Bündnis."),
        ukraine=Topic.objects.create(name="Ukraine", slug="ukraine"),
    )


def is_absolute(url: str) -> bool:
    return url.startswith(f"{ROOT_URL}/")


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
