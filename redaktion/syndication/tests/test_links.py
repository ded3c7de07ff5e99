"""Absolute URLs, W3C datetimes and language codes as crawlers expect them."""

from datetime import UTC, datetime

import pytest

from redaktion.syndication.links import (
    absolute_url,
    news_language,
    og_locale,
    route_url,
    w3c_datetime,
)

from .helpers import ROOT_URL


def test_w3c_datetime_is_local_time_with_offset_in_whole_seconds():
    winter = datetime(2026, 1, 5, 7, 30, 15, 123456, tzinfo=UTC)
    summer = datetime(2026, 7, 5, 7, 30, 15, tzinfo=UTC)

    assert w3c_datetime(winter) == "2026-01-05T08:30:15+01:00"
    assert w3c_datetime(summer) == "2026-07-05T09:30:15+02:00"
    assert w3c_datetime(None) == ""


def test_absolute_url_uses_the_site_root_url(site):
    assert absolute_url(site, "/politik/") == f"{ROOT_URL}/politik/"
    assert absolute_url(site, "media/a.jpg") == f"{ROOT_URL}/media/a.jpg"
    assert absolute_url(site, "https://cdn.example/a.jpg") == "https://cdn.example/a.jpg"
    assert absolute_url(site, "//cdn.example/a.jpg") == "http://cdn.example/a.jpg"


def test_https_site_on_port_443(site):
    site.hostname, site.port = "www.tagesblick.example", 443

    assert absolute_url(site, "/politik/") == "https://www.tagesblick.example/politik/"
    assert route_url(site, "topic", slug="nato") == "https://www.tagesblick.example/thema/nato/"


def test_route_url_of_an_unknown_route_is_none(site):
    assert route_url(site, "no-such-route", slug="x") is None


@pytest.mark.parametrize(
    ("language_code", "locale", "news"),
    [
        ("de", "de_DE", "de"),
        ("de-at", "de_AT", "de"),
        ("en", "en_GB", "en"),
        ("zh-tw", "zh_TW", "zh-tw"),
    ],
)
def test_language_codes(settings, language_code, locale, news):
    settings.LANGUAGE_CODE = language_code

    assert og_locale() == locale
    assert news_language() == news
