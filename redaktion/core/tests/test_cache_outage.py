"""Redis, as the cache, goes away: pages (through the page cache), feeds, sitemaps, search, ad
decisions, impressions and clicks keep answering without it, the subscribe endpoints' rate
limits refuse rather than mail without a limit, and the outage is logged once, not per
request."""

import logging
import socket

import pytest
from django.urls import reverse

from redaktion.ads import snapshot
from redaktion.ads.factories import NATIVE_TITLE, running_native_campaign
from redaktion.ads.models import CampaignDay
from redaktion.core import outage
from redaktion.news.factories import ArticlePageFactory, RessortPageFactory

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0"

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings, monkeypatch):
    """The cache is a Redis server on a port where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "redaktion.core.outage.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }
    monkeypatch.setattr(outage, "_last_logged", {})
    snapshot.forget()
    yield
    snapshot.forget()


def counted(campaign):
    row = CampaignDay.objects.filter(campaign=campaign).first()
    return (row.impressions, row.clicks) if row else (0, 0)


def test_ads_are_decided_and_clicks_redirect_without_the_cache(client, redis_down, caplog):
    campaign = running_native_campaign()
    with caplog.at_level(logging.ERROR, logger="redaktion.core"):
        for _ in range(3):
            response = client.get(reverse("ads:decision"), {"slot": "river"})
            assert response.status_code == 200
        [ad] = response.json()["ads"]
    assert NATIVE_TITLE in ad["html"]
    outage_logs = [r for r in caplog.records if "cache is unreachable" in r.getMessage()]
    assert len(outage_logs) == 1  # once a minute, not per request

    beacon = client.post(
        reverse("ads:impression"),
        data=ad["token"],
        content_type="text/plain",
        headers={"user-agent": BROWSER},
    )
    assert beacon.status_code == 204
    click = ad["html"].split('href="', 1)[1].split('"', 1)[0]
    response = client.get(click, headers={"user-agent": BROWSER})
    assert response.status_code == 302
    # Unproven tokens are not counted: a replay could not be told from a first use.
    assert counted(campaign) == (0, 0)


def test_pages_feeds_sitemaps_and_search_render_without_the_cache(client, redis_down, home_page):
    ressort = RessortPageFactory(parent=home_page, title="Politik", slug="politik")
    article = ArticlePageFactory(parent=ressort, title="Wahl in Berlin", with_image=True)
    for path in (
        "/",
        ressort.url,
        article.url,
        "/feeds/rss.xml",
        "/sitemap.xml",
        "/robots.txt",
        "/suche/?q=Wahl",
        "/archiv/2026/",
    ):
        response = client.get(path)
        assert response.status_code in (200, 404), path
    assert "Wahl in Berlin" in client.get(article.url).content.decode()


def test_the_subscribe_endpoint_refuses_without_its_rate_limit(client, redis_down, mailoutbox):
    response = client.post(
        "/benachrichtigungen/abonnieren/", {"email": "leserin@example.org", "follow": "topic:1"}
    )
    assert response.status_code == 429
    assert mailoutbox == []
