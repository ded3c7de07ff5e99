"""Purging by surrogate key: the backends, what a purge sends to Varnish, and that a purge
never fails; which query parameters make a page's cache key."""

import logging
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.http import HttpResponse, QueryDict
from django.test import RequestFactory
from django.utils import timezone

from redaktion.core import outage as fail_open
from redaktion.core import surrogate
from redaktion.core.middleware import PublicPageCacheMiddleware, cache_query


class PurgeRecorder(BaseHTTPRequestHandler):
    def do_PURGE(self):  # noqa: N802 (the HTTP method's name)
        hard, soft = self.headers["xkey-purge"], self.headers["xkey-softpurge"]
        self.server.received.append((self.path, hard) if soft is None else (self.path, hard, soft))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def varnish_node():
    server = ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def _forget_logged():
    fail_open._last_logged.clear()
    yield
    fail_open._last_logged.clear()


@pytest.fixture
def varnish_settings(settings, varnish_node):
    settings.SURROGATE_PURGE_BACKENDS = [
        "redaktion.core.surrogate.PageCachePurger",
        "redaktion.core.surrogate.VarnishPurger",
    ]
    settings.VARNISH_PURGE_TIMEOUT = 1
    return settings


def test_every_varnish_node_gets_the_keys_and_a_dead_one_is_logged(
    varnish_settings, varnish_node, caplog
):
    alive = f"http://127.0.0.1:{varnish_node.server_port}/"
    dead = f"http://127.0.0.1:{closed_port()}/"
    varnish_settings.VARNISH_PURGE_URLS = [dead, alive]
    with caplog.at_level(logging.WARNING, logger="redaktion.core"):
        surrogate.purge(["article-7", "page-2", "article-7"])
        surrogate.purge(["site"])
    assert varnish_node.received == [("/", "article-7 page-2"), ("/", "site")]
    assert [r.getMessage().split(" is unreachable")[0] for r in caplog.records] == [
        f"Varnish {dead}"
    ], "logged once a minute, not per purge"


def test_many_keys_go_in_several_purges_of_a_header_varnish_accepts(varnish_settings, varnish_node):
    varnish_settings.VARNISH_PURGE_URLS = [f"http://127.0.0.1:{varnish_node.server_port}/"]
    wanted = {f"article-{n}" for n in range(1000)}
    surrogate.purge(wanted)
    headers = [header for _path, header in varnish_node.received]
    assert len(headers) > 1
    assert all(len(header) <= surrogate.PURGE_HEADER_CHARS for header in headers)
    assert {key for header in headers for key in header.split()} == wanted


def test_the_lists_go_in_a_softpurge_and_what_shows_content_stays_hard(
    varnish_settings, varnish_node
):
    varnish_settings.VARNISH_PURGE_URLS = [f"http://127.0.0.1:{varnish_node.server_port}/"]
    surrogate.purge(["article-7", "river", "page-3", "ressort-2", "topic-9", "site"])
    surrogate.purge(["home", "archive-2026-12"])
    assert varnish_node.received == [
        ("/", "article-7 page-3 site"),
        ("/", None, "ressort-2 river topic-9"),
        ("/", None, "archive-2026-12 home"),
    ]


class Exploding:
    def purge(self, keys):
        raise RuntimeError("backend down")


def test_a_failing_backend_never_fails_the_purge_and_the_next_still_runs(settings, caplog):
    settings.SURROGATE_PURGE_BACKENDS = [
        f"{__name__}.Exploding",
        "redaktion.core.surrogate.PageCachePurger",
    ]
    before = surrogate.page_cache().get(surrogate.version_key("home"))
    with caplog.at_level(logging.WARNING, logger="redaktion.core"):
        surrogate.purge(["home"])
    assert surrogate.page_cache().get(surrogate.version_key("home")) != before
    assert "Exploding is unreachable" in caplog.text


@pytest.mark.parametrize(
    ("query", "key_part"),
    [
        ("", ""),
        ("page=2", "page=2"),
        ("utm_source=x&page=2&fbclid=abc&gclid=1&mc_cid=2&mc_eid=3&ref=t", "page=2"),
        ("utm_medium=social&utm_campaign=eil", ""),
        ("p=3&page=1", "p=3&page=1"),
        ("page=1&p=3", "p=3&page=1"),
        ("x=1", None),
        ("page=2&nocache=42", None),
    ],
)
def test_the_cache_key_keeps_only_the_parameters_pages_read(query, key_part):
    assert cache_query(QueryDict(query)) == key_part


def test_random_parameters_never_fill_the_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True
    calls = []

    def view(request):
        calls.append(request.get_full_path())
        return HttpResponse("page")

    middleware = PublicPageCacheMiddleware(view)
    for query in ("", "?utm_source=newsletter", "?fbclid=1", "?zufall=1", "?zufall=1"):
        response = middleware(RequestFactory().get(f"/politik/{query}"))
        assert response.status_code == 200
        assert response.headers["Surrogate-Key"] == surrogate.SITE
    assert calls == ["/politik/", "/politik/?zufall=1", "/politik/?zufall=1"]


class CountingCache:
    """The page cache, counting the round trips made to it."""

    def __init__(self, cache):
        self.cache = cache
        self.calls = []

    def __getattr__(self, name):
        method = getattr(self.cache, name)

        def counted(*args, **kwargs):
            self.calls.append(name)
            return method(*args, **kwargs)

        return counted


def keyed_view(calls, keys=("article-1", "ressort-2")):
    def view(request):
        calls.append(request.path)
        surrogate.add_keys(request, *keys)
        return HttpResponse("page")

    return view


def test_a_hit_is_one_cache_round_trip(settings, monkeypatch):
    settings.PAGE_CACHE_ENABLED = True
    counting = CountingCache(surrogate.page_cache())
    monkeypatch.setattr("redaktion.core.surrogate.page_cache", lambda: counting)
    calls = []
    middleware = PublicPageCacheMiddleware(keyed_view(calls))
    middleware(RequestFactory().get("/seite/"))
    counting.calls.clear()
    response = middleware(RequestFactory().get("/seite/"))
    assert calls == ["/seite/"]
    assert response.headers["Surrogate-Key"] == "article-1 ressort-2 site"
    assert counting.calls == ["get_many"]


def test_a_page_whose_key_is_purged_while_it_renders_is_not_stored(settings):
    settings.PAGE_CACHE_ENABLED = True
    calls = []

    def view(request):
        calls.append(request.path)
        if len(calls) == 1:
            surrogate.purge(["article-1"])  # an editor publishes while the page renders
        surrogate.add_keys(request, "article-1")
        return HttpResponse(f"version {len(calls)}")

    middleware = PublicPageCacheMiddleware(view)
    assert middleware(RequestFactory().get("/laufend/")).content == b"version 1"
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        assert middleware(RequestFactory().get("/laufend/")).content == b"version 2"
        assert middleware(RequestFactory().get("/laufend/")).content == b"version 2"
    assert calls == ["/laufend/", "/laufend/"]
