"""A newsroom for the feed tests, and readers for RSS, Atom and JSON Feed documents."""

import json
import re
import xml.etree.ElementTree as ET  # noqa: S405 - parses our own responses
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from django.utils import timezone
from wagtail.models import PageViewRestriction

from redaktion.news.factories import ArticlePageFactory, ImageFactory

from .helpers import make_article

ATOM_NS = "http://www.w3.org/2005/Atom"
DC_NS = "http://purl.org/dc/elements/1.1/"
NS = {"atom": ATOM_NS, "dc": DC_NS}

# Winter time (+01:00) and summer time (+02:00) in Berlin.
WINTER = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
SUMMER = datetime(2025, 7, 1, 6, 0, tzinfo=UTC)
OLDER = datetime(2025, 1, 20, 12, 0, tzinfo=UTC)

# RFC 822 as RSS 2.0 uses it (four-digit year, numeric zone) and RFC 3339 with an offset.
RFC_822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d{4} \d\d:\d\d:\d\d [+-]\d{4}$"
)
RFC_3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$")

SITE_FEEDS = ["/feeds/rss.xml", "/feeds/atom.xml", "/feeds/feed.json"]


def feed_paths(prefix: str) -> list[str]:
    return [f"{prefix}rss.xml", f"{prefix}atom.xml", f"{prefix}feed.json"]


ALL_FEEDS = [
    *SITE_FEEDS,
    *feed_paths("/feeds/ressort/politik/"),
    *feed_paths("/feeds/thema/nato/"),
    *feed_paths("/feeds/autor/anna-berg/"),
]


@dataclass
class Newsroom:
    winter: object
    summer: object
    older: object
    hidden: dict


def build_newsroom(*, politik, wirtschaft, anna, jonas, nato, ukraine) -> Newsroom:
    """Three published articles (one with a lead image, two bylines and two topics, one in
    summer time, one with a title full of markup characters) and four that no feed may
    show: a draft, a scheduled one, one backdated into the future, a private one."""
    winter = ArticlePageFactory(
        publish=False,
        parent=politik,
        title="Gipfel in Brüssel",
        lead="Die Nato-Staaten einigen sich. Die Außenminister beraten <bald>.",
        first_published_at=WINTER,
        updated_at=WINTER + timedelta(hours=3),
        lead_image=ImageFactory(width=1600, height=1000),
        authors=[anna, jonas],
        topics=[ukraine, nato],
    )
    summer = ArticlePageFactory(
        publish=False,
        parent=wirtschaft,
        title="Zölle & <Handel>: was sich ändert",
        lead="Ein Überblick.",
        first_published_at=SUMMER,
        authors=[anna],
        topics=[],
    )
    older = ArticlePageFactory(
        publish=False,
        parent=politik,
        title="Wahlkampf beginnt",
        first_published_at=OLDER,
        authors=[jonas],
        topics=[nato],
    )
    draft = make_article(
        politik, "Entwurf", "entwurf", authors=[anna], topics=[nato], publish=False
    )
    scheduled = make_article(
        politik, "Geplant", "geplant", authors=[anna], topics=[nato], publish=False
    )
    go_live = timezone.now() + timedelta(days=1)
    scheduled.go_live_at = go_live
    scheduled.save_revision(approved_go_live_at=go_live).publish()
    future = ArticlePageFactory(
        publish=False,
        parent=politik,
        title="Aus der Zukunft",
        first_published_at=timezone.now() + timedelta(days=2),
        authors=[anna],
        topics=[nato],
    )
    private = ArticlePageFactory(
        publish=False,
        parent=politik,
        title="Nur für Abonnenten",
        first_published_at=WINTER - timedelta(hours=1),
        authors=[anna],
        topics=[nato],
    )
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    return Newsroom(
        winter=winter,
        summer=summer,
        older=older,
        hidden={
            "draft": draft,
            "scheduled": scheduled,
            "future": future,
            "private": private,
        },
    )


def rfc_822(value: str) -> datetime:
    assert RFC_822.match(value), value
    return parsedate_to_datetime(value)


def rfc_3339(value: str) -> datetime:
    assert RFC_3339.match(value), value
    return datetime.fromisoformat(value)


def get_feed(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response


def rss(client, path) -> ET.Element:
    response = get_feed(client, path)
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    root = ET.fromstring(response.content)  # noqa: S314
    assert root.tag == "rss"
    assert root.get("version") == "2.0"
    return root.find("channel")


def atom(client, path) -> ET.Element:
    response = get_feed(client, path)
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.content)  # noqa: S314
    assert root.tag == f"{{{ATOM_NS}}}feed"
    return root


def json_feed(client, path) -> dict:
    response = get_feed(client, path)
    assert response["Content-Type"] == "application/feed+json; charset=utf-8"
    return json.loads(response.content)


def item_links(client, path) -> list[str]:
    """The article URLs a feed lists, in order, whatever its format."""
    if path.endswith("rss.xml"):
        return [item.findtext("link") for item in rss(client, path).iterfind("item")]
    if path.endswith("atom.xml"):
        return [
            entry.find("atom:link[@rel='alternate']", NS).get("href")
            for entry in atom(client, path).iterfind("atom:entry", NS)
        ]
    return [item["url"] for item in json_feed(client, path)["items"]]
