"""Behind a trusted HTTPS proxy, sitemaps, robots.txt, feeds and page links say https://;
the forwarding headers of anyone else change nothing."""

import pytest

from .helpers import ROOT_URL
from .test_sitemaps import get_xml, locations, newsroom  # noqa: F401 (a fixture)

PROXY = "10.0.0.2"
HTTPS_ROOT = ROOT_URL.replace("http://", "https://")


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]


def forwarded(client, path, remote=PROXY):
    return client.get(
        path,
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )


def test_sitemap_and_robots_take_https_from_a_trusted_proxy(client, newsroom, behind_proxy):  # noqa: F811
    client.defaults.update(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https")
    for path in ("/sitemap.xml", "/sitemap-pages.xml"):
        urls = locations(get_xml(client, path))
        assert urls and all(url.startswith(HTTPS_ROOT) for url in urls), urls
    robots = forwarded(client, "/robots.txt").content.decode()
    assert f"Sitemap: {HTTPS_ROOT}/sitemap.xml" in robots


def test_the_rss_feed_links_take_https_from_a_trusted_proxy(client, newsroom, behind_proxy):  # noqa: F811
    feed = forwarded(client, "/feeds/rss.xml").content.decode()
    assert f"<link>{HTTPS_ROOT}/" in feed
    assert f"{ROOT_URL}/" not in feed


def test_forwarding_headers_from_anyone_else_are_ignored(client, newsroom, behind_proxy):  # noqa: F811
    client.defaults.update(REMOTE_ADDR="192.0.2.9", HTTP_X_FORWARDED_PROTO="https")
    urls = locations(get_xml(client, "/sitemap-pages.xml"))
    assert urls and all(url.startswith(ROOT_URL + "/") for url in urls)
