"""Through a real Varnish with the shipped VCL (deploy/varnish/redaktion.vcl) in front of
the app: hits, tracking parameters, compression, a purge by key, grace, and that an editor
or a preview never gets a cached response. Needs varnishd (``make varnish``); skipped
without it on a developer's machine, failed in CI."""

import gzip
import http.client
import time
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model

from redaktion.core import surrogate, varnish
from redaktion.core.models import BrandSettings
from redaktion.core.tests.servers import free_port
from redaktion.news import keys

from .test_browser import ensure_site_tree

pytestmark = [
    pytest.mark.varnish,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _site_tree(transactional_db):
    ensure_site_tree()


class Answer:
    def __init__(self, response: http.client.HTTPResponse):
        self.status = response.status
        self.headers = {name.lower(): value for name, value in response.getheaders()}
        self.body = response.read()

    @property
    def cache(self) -> str:
        return self.headers.get("x-cache", "")

    def text(self) -> str:
        body = self.body
        if self.headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        return body.decode()


def ask(base: str, path: str, method: str = "GET", source: str | None = None, **headers):
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(
        parts.hostname, parts.port, timeout=30, source_address=(source, 0) if source else None
    )
    try:
        connection.request(
            method, path, headers={k.replace("_", "-"): v for k, v in headers.items()}
        )
        return Answer(connection.getresponse())
    finally:
        connection.close()


@pytest.fixture(scope="module")
def _varnish(live_server):
    """One varnishd for the module (starting one costs a second and a half)."""
    parts = urlsplit(live_server.url)
    with varnish.running(backend=("127.0.0.1", parts.port), port=free_port()) as url:
        yield url


@pytest.fixture
def front(_varnish):
    """The module's Varnish, empty: every cached page carries the site's key, and a purge of
    it from the app's address drops them all."""
    emptied = ask(_varnish, "/", method="PURGE", xkey_purge=surrogate.SITE)
    assert emptied.status == 200, emptied.status
    return _varnish


def test_hits_tracking_parameters_and_compression(front, newsroom):
    first = ask(front, "/politik/")
    assert first.status == 200 and first.cache == "MISS"
    second = ask(front, "/politik/")
    assert second.cache == "HIT" and "age" in second.headers
    assert second.body == first.body
    assert "xkey" not in second.headers
    assert keys.HOME not in second.headers["surrogate-key"].split()
    tracked = ask(front, "/politik/?utm_source=newsletter&fbclid=abc&utm_medium=mail")
    assert tracked.cache == "HIT" and tracked.body == first.body
    with_cookie = ask(front, "/politik/", Cookie="consent=1")
    assert with_cookie.cache == "HIT"
    compressed = ask(front, "/politik/", Accept_Encoding="gzip")
    assert compressed.headers.get("content-encoding") == "gzip"
    assert compressed.text() == first.text()


def test_varnish_keeps_one_gzip_copy_of_the_apps_compressed_page_for_every_client(front, newsroom):
    """The app compresses, Varnish asks it for gzip only (never brotli, which it could not
    unpack), stores that and unpacks it for a client without gzip."""
    path = newsroom["article"].url
    first = ask(front, path, Accept_Encoding="gzip, deflate, br, zstd")
    assert first.cache == "MISS"
    assert first.headers.get("content-encoding") == "gzip"
    assert "Accept-Encoding" in first.headers["vary"]
    assert "<h1" in first.text()
    for accept, coding in [("gzip, br", "gzip"), ("br", None), ("identity", None), (None, None)]:
        headers = {"Accept_Encoding": accept} if accept else {}
        answer = ask(front, path, **headers)
        assert answer.cache == "HIT", accept
        assert answer.headers.get("content-encoding") == coding, accept
        assert answer.text() == first.text(), accept


def test_a_purge_by_key_drops_exactly_the_pages_that_carry_it(front, newsroom, settings):
    settings.VARNISH_PURGE_URLS = [f"{front}/"]
    settings.SURROGATE_PURGE_BACKENDS = [
        "redaktion.core.surrogate.PageCachePurger",
        "redaktion.core.surrogate.VarnishPurger",
    ]
    article = newsroom["article"]
    pages = [article.url, "/finanzen/", "/technologie/"]
    for path in pages:
        ask(front, path)
        assert ask(front, path).cache == "HIT", path

    refused = ask(front, "/", method="PURGE", source="127.0.0.2", xkey_purge="site")
    assert refused.status == 403
    assert ask(front, article.url).cache == "HIT"

    surrogate.purge([keys.article(article.pk)])
    assert [ask(front, path).cache for path in pages] == ["MISS", "HIT", "HIT"]
    assert ask(front, article.url).cache == "HIT"


def test_grace_serves_the_stale_page_while_one_request_refreshes_it(front, newsroom, settings):
    settings.PAGE_CACHE_ENABLED = False  # Varnish alone
    settings.PAGE_CACHE_SECONDS = 1
    settings.PAGE_CACHE_SHARED_SECONDS = 1
    settings.PAGE_CACHE_STALE_SECONDS = 60
    old_name = "Deutsche Wirtschafts Nachrichten"
    assert old_name in ask(front, "/finanzen/").text()
    BrandSettings.objects.update(name="Neue Rundschau")
    time.sleep(1.5)  # past s-maxage, within stale-while-revalidate

    stale = ask(front, "/finanzen/")
    assert stale.cache == "HIT" and old_name in stale.text()
    deadline = time.monotonic() + 10
    while old_name in ask(front, "/finanzen/").text():
        assert time.monotonic() < deadline, "the background fetch never replaced the page"
        time.sleep(0.1)
    assert "Neue Rundschau" in ask(front, "/finanzen/").text()


def test_a_soft_purge_serves_the_stale_page_while_it_refreshes_and_a_hard_key_wins(
    front, newsroom, settings
):
    """A publish purges the river on every article page softly: a reader of any article is
    answered from the cache at once while one background fetch brings the new river; the
    article's own key stays hard, so a correction never shows the old text."""
    settings.PAGE_CACHE_ENABLED = False  # Varnish alone
    settings.PAGE_CACHE_STALE_SECONDS = 60
    settings.VARNISH_PURGE_URLS = [f"{front}/"]
    settings.SURROGATE_PURGE_BACKENDS = ["redaktion.core.surrogate.VarnishPurger"]
    old_name = "Deutsche Wirtschafts Nachrichten"
    article, pick = newsroom["article"], newsroom["pick"]
    for path in (article.url, pick.url):
        assert old_name in ask(front, path).text()
        assert ask(front, path).cache == "HIT"
    BrandSettings.objects.update(name="Neue Rundschau")

    surrogate.purge([keys.RIVER])
    stale = ask(front, article.url)
    assert stale.cache == "HIT" and old_name in stale.text()
    deadline = time.monotonic() + 10
    while old_name in ask(front, article.url).text():
        assert time.monotonic() < deadline, "the background fetch never replaced the page"
        time.sleep(0.1)

    surrogate.purge([keys.RIVER, keys.article(pick.pk)])
    fresh = ask(front, pick.url)
    assert fresh.cache == "MISS" and "Neue Rundschau" in fresh.text()


def test_editors_previews_and_cookies_never_get_a_cached_response(front, newsroom, client):
    article = newsroom["article"]
    ask(front, "/politik/")
    assert ask(front, "/politik/").cache == "HIT"

    editor = get_user_model().objects.create_superuser("editor", "e@example.org", "pw")
    client.force_login(editor)
    session = f"sessionid={client.cookies['sessionid'].value}"
    for _ in range(2):
        as_editor = ask(front, "/politik/", Cookie=session)
        assert as_editor.status == 200 and as_editor.cache == "MISS"
        assert "public" not in as_editor.headers.get("cache-control", "")
        draft = ask(front, f"/admin/pages/{article.pk}/view_draft/", Cookie=session)
        assert draft.status == 200 and draft.cache == "MISS"
        assert article.title in draft.text()
        login = ask(front, "/admin/login/")
        assert login.cache == "MISS" and "set-cookie" in login.headers
    assert ask(front, f"/admin/pages/{article.pk}/view_draft/").status == 302
