"""The read beacon: one count per visible view and reader, none for robots and prefetches,
no cookie, and nothing of the reader (address, user agent) in the database or the logs."""

import logging

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from redaktion.analytics.models import ArticleReadHour
from redaktion.analytics.selectors import article_referrers
from redaktion.analytics.services import reads_flush

from . import BROWSER

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.77"


def send(client, article_id, *, referrer="", user_agent=BROWSER, address=ADDRESS, **headers):
    return client.post(
        reverse("analytics:beacon"),
        data=f"a={article_id}&r={referrer}",
        content_type="application/x-www-form-urlencoded",
        headers={"user-agent": user_agent, **headers},
        REMOTE_ADDR=address,
    )


def views(article) -> int:
    reads_flush()
    return sum(ArticleReadHour.objects.filter(article=article).values_list("views", flat=True))


def test_a_view_counts_once_per_reader_and_sets_no_cookie(client, article):
    response = send(client, article.pk, referrer="https://www.google.de/search?q=x")
    assert response.status_code == 204
    assert not response.cookies
    assert "no-store" in response["Cache-Control"]
    # A reload by the same reader is the same read; another reader's view counts.
    send(client, article.pk)
    send(client, article.pk, address="198.51.100.4")
    assert views(article) == 2
    assert dict(article_referrers(article.pk)) == {"www.google.de": 1, "": 1}


@pytest.mark.parametrize(
    ("user_agent", "headers"),
    [
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", {}),
        ("Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/131.0", {}),
        ("curl/8.5.0", {}),
        ("", {}),
        (BROWSER, {"Sec-Purpose": "prefetch"}),
        (BROWSER, {"Sec-Purpose": "prefetch;prerender"}),
        (BROWSER, {"Purpose": "prefetch"}),
    ],
)
def test_robots_and_prefetches_never_count(client, article, user_agent, headers):
    assert send(client, article.pk, user_agent=user_agent, **headers).status_code == 204
    assert views(article) == 0


@pytest.mark.parametrize("body", ["a=abc", "a=0", "r=example.org", "a=" + "1" * 5000])
def test_bad_beacons_are_refused_without_counting(client, article, body):
    response = client.post(
        reverse("analytics:beacon"),
        data=body,
        content_type="application/x-www-form-urlencoded",
        headers={"user-agent": BROWSER},
    )
    assert response.status_code == 400
    assert views(article) == 0


def test_only_post_is_answered(client, article):
    assert client.get(reverse("analytics:beacon"), {"a": article.pk}).status_code == 405


def test_a_beacon_for_no_article_is_dropped_when_written(client, article):
    send(client, 999_999)
    assert reads_flush() == 0
    assert not ArticleReadHour.objects.exists()


def test_no_address_or_user_agent_in_the_database_the_cache_or_the_logs(
    client, article, caplog, capsys
):
    caplog.set_level(logging.DEBUG)
    send(client, article.pk, referrer="https://news.example.org/a/b?c=d")
    reads_flush()
    assert ArticleReadHour.objects.get().views == 1
    # Every row of every table, as text.
    call_command("dumpdata", *[config.label for config in apps.get_app_configs()])
    dump = capsys.readouterr().out
    assert "news.example.org" in dump  # the dump holds what was written …
    for secret in (ADDRESS, BROWSER, "Firefox", "/a/b?c=d"):
        assert secret not in dump  # … and nothing of the reader
        assert secret not in caplog.text
    for key in cache._cache:
        assert ADDRESS not in key and ADDRESS not in str(cache._cache[key])
