"""Public pages are cacheable and the same for every reader; nothing else is."""

import logging
import socket

import pytest
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.test import RequestFactory

from redaktion.core import outage as fail_open
from redaktion.core import surrogate
from redaktion.core.middleware import PublicPageCacheMiddleware, purge_page_cache

pytestmark = pytest.mark.django_db

PUBLIC = "public, max-age=11, s-maxage=22, stale-while-revalidate=33"


@pytest.fixture(autouse=True)
def _cache_settings(settings):
    settings.PAGE_CACHE_SECONDS = 11
    settings.PAGE_CACHE_SHARED_SECONDS = 22
    settings.PAGE_CACHE_STALE_SECONDS = 33


def public_urls(newsroom):
    return [
        "/",
        "/politik/",
        newsroom["article"].url,
        "/thema/syrien/",
        "/autor/anna-berger/",
        "/archiv/2015/10/",
        "/archiv/2015/",
        "/impressum/",
    ]


def test_public_pages_send_cache_control_from_settings(client, newsroom):
    for url in public_urls(newsroom):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == PUBLIC, url
        assert not response.cookies, url
        assert "Cookie" not in response.headers.get("Vary", ""), url
    assert client.head("/politik/").headers["Cache-Control"] == PUBLIC


def test_public_pages_are_the_same_for_every_reader(client, newsroom, settings):
    settings.PAGE_CACHE_ENABLED = False
    for url in public_urls(newsroom):
        first = client.get(url).content
        second = client.get(url, HTTP_USER_AGENT="Anderer Leser", HTTP_COOKIE="consent=1")
        assert first == second.content, url
        assert b"csrfmiddlewaretoken" not in first, url
        assert b"csrftoken" not in first, url


def test_no_public_caching_for_errors_posts_admin_and_editors(client, newsroom):
    assert "Cache-Control" not in client.get("/gibts-nicht/").headers
    assert "public" not in client.post("/politik/").headers.get("Cache-Control", "")
    assert "public" not in client.get("/admin/login/").headers.get("Cache-Control", "")
    editor = get_user_model().objects.create_superuser("editor", "e@example.org", "pw")
    client.force_login(editor)
    assert "public" not in client.get("/politik/").headers.get("Cache-Control", "")


def test_page_cache_serves_without_queries_until_purged(
    client, newsroom, django_assert_num_queries
):
    first = client.get("/politik/")
    with django_assert_num_queries(0):
        cached = client.get("/politik/")
    assert cached.content == first.content
    assert cached.headers["Cache-Control"] == PUBLIC
    assert cached.headers["Content-Type"] == "text/html; charset=utf-8"

    purge_page_cache()
    with django_assert_num_queries(11):  # 10 + the Ressort's "Meistgelesen"
        client.get("/politik/")


def test_page_cache_keys_on_the_query_string(client, newsroom):
    client.get("/thema/syrien/")
    assert client.get("/thema/syrien/?page=2").status_code == 404


def test_editor_never_gets_the_cached_page(client, newsroom, django_assert_max_num_queries):
    client.get("/politik/")
    editor = get_user_model().objects.create_superuser("editor", "e@example.org", "pw")
    client.force_login(editor)
    with django_assert_max_num_queries(100) as context:
        client.get("/politik/")
    assert len(context.captured_queries) > 0


def test_page_cache_can_be_switched_off(client, newsroom, settings, django_assert_num_queries):
    settings.PAGE_CACHE_ENABLED = False
    client.get("/politik/")
    with django_assert_num_queries(11):  # 10 + the Ressort's "Meistgelesen"
        response = client.get("/politik/")
    assert response.headers["Cache-Control"] == PUBLIC


@pytest.mark.parametrize(
    "prepare",
    [
        pytest.param(lambda r: r.set_cookie("tracking", "1"), id="sets-cookie"),
        pytest.param(lambda r: r.headers.__setitem__("Cache-Control", "no-store"), id="own"),
        pytest.param(lambda r: r.headers.__setitem__("Vary", "Cookie"), id="vary-cookie"),
    ],
)
def test_responses_that_are_not_the_same_for_everyone_are_left_alone(prepare, settings):
    settings.PAGE_CACHE_ENABLED = True

    def view(request):
        response = HttpResponse("per reader")
        prepare(response)
        return response

    middleware = PublicPageCacheMiddleware(view)
    response = middleware(RequestFactory().get("/politik/"))
    assert "public" not in response.headers.get("Cache-Control", "")
    again = middleware(RequestFactory().get("/politik/"))
    assert again is not response and again.content == b"per reader"


def test_session_cookie_bypasses_the_cache(settings):
    settings.PAGE_CACHE_ENABLED = True
    calls = []

    def view(request):
        calls.append(request)
        return HttpResponse("page")

    middleware = PublicPageCacheMiddleware(view)
    middleware(RequestFactory().get("/politik/"))
    request = RequestFactory().get("/politik/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "abc"
    response = middleware(request)
    assert len(calls) == 2
    assert "Cache-Control" not in response.headers


@pytest.mark.parametrize("path", ["/anzeigen/auslieferung/", "/benachrichtigungen/abonnieren/"])
def test_per_request_endpoints_never_touch_the_page_cache(settings, path, monkeypatch):
    settings.PAGE_CACHE_ENABLED = True

    def no_cache():
        raise AssertionError("the page cache was asked")

    monkeypatch.setattr("redaktion.core.surrogate.page_cache", no_cache)
    middleware = PublicPageCacheMiddleware(lambda request: HttpResponse("decision"))
    response = middleware(RequestFactory().get(path))
    assert response.content == b"decision"
    assert "Cache-Control" not in response.headers


def test_pages_and_purges_work_while_redis_is_down(client, newsroom, settings, caplog):
    """The cache fails open: a Redis URL pointing at a closed port still gives 200 pages
    (rendered every time), purges do not raise, and the failure is logged once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.PAGE_CACHE_ENABLED = True
    settings.CACHES = {
        "default": {
            "BACKEND": "redaktion.core.outage.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/4",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    fail_open._last_logged.clear()
    urls = [*public_urls(newsroom), "/feeds/rss.xml", "/sitemap.xml"]
    with caplog.at_level(logging.WARNING, logger="redaktion.core"):
        for _round in range(2):
            for url in urls:
                response = client.get(url)
                assert response.status_code == 200, url
                assert response.headers["Cache-Control"] == PUBLIC, url
        surrogate.purge(["home", "river"])
        purge_page_cache()
    assert len(caplog.records) == 1, [r.getMessage() for r in caplog.records]
    assert "The cache is unreachable" in caplog.records[0].getMessage()
