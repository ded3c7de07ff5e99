"""A page-cache hit answered in front of Django (``redaktion.core.fasthit``): the same page
and headers as Django's own hit, and everything Django must judge goes to Django."""

import gzip

import brotli
import pytest

from redaktion.core import checks, fasthit, surrogate
from redaktion.core.fasthit import CachedPageApplication
from redaktion.core.tests.wsgi import CountingDjango, call, counting_django, environ

pytestmark = pytest.mark.django_db


@pytest.fixture
def django_app(settings):
    settings.PAGE_CACHE_ENABLED = True
    with counting_django() as django:
        yield django


@pytest.fixture
def app(django_app):
    return CachedPageApplication(django_app)


def test_a_hit_is_the_page_and_headers_of_djangos_own_hit(app, django_app, home_page):
    status, _, rendered = call(app, environ())  # a miss: Django renders and stores
    assert (status, django_app.calls) == (200, 1)

    status, headers, body = call(app, environ())
    assert (status, django_app.calls) == (200, 1)  # answered in front of Django
    _, django_headers, django_body = call(django_app, environ())  # Django's own hit
    assert body == django_body == rendered
    assert headers.pop("Content-Length") == str(len(body))
    assert len(headers.pop("X-Request-ID")) == len(django_headers.pop("X-Request-ID")) == 32
    assert headers == django_headers
    for name in ("Content-Security-Policy", "Permissions-Policy", "Surrogate-Key"):
        assert name in headers
    assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("accept", "coding", "decompress"),
    [("br, gzip", "br", brotli.decompress), ("gzip", "gzip", gzip.decompress)],
)
def test_a_hit_is_compressed_as_django_compresses_it(
    app, django_app, home_page, accept, coding, decompress
):
    _, _, page = call(app, environ())
    status, headers, body = call(app, environ(HTTP_ACCEPT_ENCODING=accept))
    assert (status, django_app.calls) == (200, 1)
    _, django_headers, django_body = call(django_app, environ(HTTP_ACCEPT_ENCODING=accept))
    assert decompress(body) == decompress(django_body) == page
    assert headers["Content-Encoding"] == django_headers["Content-Encoding"] == coding
    assert headers["Content-Length"] == str(len(body))
    assert len(body) < len(page)
    for name in ("Vary", "ETag", "Cache-Control", "Surrogate-Key"):
        assert headers.get(name) == django_headers.get(name), name


def test_head_gets_the_headers_without_the_body(app, django_app, home_page):
    _, _, page = call(app, environ())
    status, headers, body = call(app, environ(method="HEAD"))
    assert (status, body, django_app.calls) == (200, b"", 1)
    assert headers["Content-Length"] == str(len(page))


@pytest.mark.parametrize(
    "request_env",
    [
        environ(HTTP_COOKIE="sessionid=abc"),
        environ(method="POST"),
        environ(query="q=unbekannt"),
        environ(HTTP_IF_NONE_MATCH='"abc"'),
        environ(HTTP_HOST="evil.example"),
        environ("/admin/"),
    ],
    ids=["session", "post", "unknown-parameter", "conditional", "foreign-host", "admin"],
)
def test_what_django_must_judge_goes_to_django(app, django_app, home_page, settings, request_env):
    settings.ALLOWED_HOSTS = ["testserver"]
    call(app, environ())
    before = django_app.calls
    call(app, request_env)
    assert django_app.calls == before + 1


def test_tracking_parameters_share_the_stored_page(app, django_app, home_page):
    call(app, environ())
    status, _, _ = call(app, environ(query="utm_source=newsletter"))
    assert (status, django_app.calls) == (200, 1)


def test_a_purge_sends_the_next_request_to_django(app, django_app, home_page):
    call(app, environ())
    call(app, environ())
    surrogate.purge([surrogate.SITE])
    call(app, environ())
    assert django_app.calls == 2


def test_https_behind_a_trusted_proxy(django_app, home_page, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    # Django's middleware reads these settings when the handler is built.
    django_app = CountingDjango()
    app = CachedPageApplication(django_app)
    secure = {"HTTP_X_FORWARDED_PROTO": "https"}
    assert call(app, environ())[0] == 301  # plain HTTP: Django redirects
    call(app, environ(**secure))
    calls = django_app.calls
    status, headers, _ = call(app, environ(HTTP_X_REQUEST_ID="lb-4711", **secure))
    assert (status, django_app.calls) == (200, calls)
    assert headers["Strict-Transport-Security"] == "max-age=3600"
    assert headers["X-Request-ID"] == "lb-4711"
    # From anywhere else the proxy headers are not believed.
    untrusted = environ(REMOTE_ADDR="203.0.113.9", HTTP_X_REQUEST_ID="lb-4711", **secure)
    assert call(app, untrusted)[0] == 301


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def recent(settings, monkeypatch):
    """Recent answers on (1 s), on a clock the test moves."""
    settings.PAGE_CACHE_LOCAL_SECONDS = 1
    clock = Clock()
    monkeypatch.setattr(fasthit, "_clock", clock)
    lookups = []
    real_lookup = fasthit.lookup
    monkeypatch.setattr(fasthit, "lookup", lambda key: lookups.append(key) or real_lookup(key))
    return clock, lookups


def test_recent_answers_are_given_again_without_the_cache_for_a_second(
    app, django_app, home_page, recent
):
    clock, lookups = recent
    call(app, environ())  # a miss: Django renders and stores
    first = call(app, environ(HTTP_ACCEPT_ENCODING="gzip"))
    again = [call(app, environ(HTTP_ACCEPT_ENCODING="gzip")) for _ in range(5)]
    assert (django_app.calls, len(lookups)) == (1, 2)  # the miss's lookup and the first hit
    assert all(body == first[2] for _status, _headers, body in again)
    assert {headers["Content-Encoding"] for _status, headers, _body in again} == {"gzip"}
    assert len({headers["X-Request-ID"] for _status, headers, _body in again}) == 5
    # Another coding is another answer; after a second the cache is asked again.
    assert call(app, environ(HTTP_ACCEPT_ENCODING="br"))[1]["Content-Encoding"] == "br"
    assert len(lookups) == 3
    clock.now += 1.5
    call(app, environ(HTTP_ACCEPT_ENCODING="gzip"))
    assert (django_app.calls, len(lookups)) == (1, 4)


def test_a_purge_in_the_process_forgets_the_recent_answers(app, django_app, home_page, recent):
    call(app, environ())
    call(app, environ())
    surrogate.purge([surrogate.SITE])
    call(app, environ())
    assert django_app.calls == 2


def test_recent_answers_with_a_purged_front_cache_are_a_warning(settings):
    settings.PAGE_CACHE_LOCAL_SECONDS = 1
    settings.SURROGATE_PURGE_BACKENDS = [checks.PAGE_CACHE_PURGER]
    assert checks.check_recent_answers_behind_a_front_cache(None) == []
    settings.SURROGATE_PURGE_BACKENDS += ["redaktion.core.surrogate.VarnishPurger"]
    [warning] = checks.check_recent_answers_behind_a_front_cache(None)
    assert warning.id == "core.W001"
    settings.PAGE_CACHE_LOCAL_SECONDS = 0
    assert checks.check_recent_answers_behind_a_front_cache(None) == []
