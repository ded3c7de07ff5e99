"""The read beacon answered in front of Django (``analytics.fastbeacon``): it counts as the
view does, answers with the view's headers, and leaves to Django what Django must judge."""

import pytest
from django.urls import reverse

from redaktion.analytics import views
from redaktion.analytics.fastbeacon import ReadBeaconApplication
from redaktion.analytics.models import ArticleReadHour
from redaktion.analytics.selectors import article_referrers
from redaktion.analytics.services import reads_flush
from redaktion.core.tests.wsgi import call, counting_django, environ

from . import BROWSER

pytestmark = pytest.mark.django_db

READER = "203.0.113.77"


@pytest.fixture
def django_app():
    with counting_django() as django:
        yield django


@pytest.fixture
def app(django_app):
    return ReadBeaconApplication(django_app)


def beacon(article_id, *, referrer="", user_agent=BROWSER, address=READER, **extra):
    return environ(
        reverse("analytics:beacon"),
        method="POST",
        body=f"a={article_id}&r={referrer}".encode(),
        CONTENT_TYPE="application/x-www-form-urlencoded",
        HTTP_USER_AGENT=user_agent,
        REMOTE_ADDR=address,
        **extra,
    )


def counted(article) -> int:
    reads_flush()
    return sum(ArticleReadHour.objects.filter(article=article).values_list("views", flat=True))


def test_a_beacon_counts_in_front_of_django_with_the_views_headers(app, django_app, article):
    status, headers, body = call(app, beacon(article.pk, referrer="https://www.google.de/"))
    assert (status, body, django_app.calls) == (204, b"", 0)
    # The same reader again is the same read; another reader counts.
    assert call(app, beacon(article.pk))[0] == 204
    assert call(app, beacon(article.pk, address="198.51.100.4"))[0] == 204
    assert django_app.calls == 0
    assert counted(article) == 2
    assert dict(article_referrers(article.pk)) == {"www.google.de": 1, "": 1}

    _, django_headers, _ = call(django_app, beacon(article.pk, address="192.0.2.1"))
    assert "Set-Cookie" not in headers
    assert headers["Expires"]  # now, as Django's never_cache says it
    for name in (
        "Cache-Control",
        "X-Robots-Tag",
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
    ):
        assert headers[name] == django_headers[name], name
    assert headers["X-Request-ID"]


def test_robots_prefetches_and_bad_bodies_are_answered_without_counting(app, django_app, article):
    googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
    assert call(app, beacon(article.pk, user_agent=googlebot))[0] == 204
    assert call(app, beacon(article.pk, HTTP_SEC_PURPOSE="prefetch"))[0] == 204
    not_a_beacon = environ(
        reverse("analytics:beacon"), method="POST", body=b"a=x", HTTP_USER_AGENT=BROWSER
    )
    assert call(app, not_a_beacon)[0] == 400
    assert django_app.calls == 0
    assert counted(article) == 0


def test_readers_behind_a_trusted_proxy_stay_apart(app, django_app, article, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for client in ("203.0.113.1", "203.0.113.2", "203.0.113.2"):
        call(app, beacon(article.pk, address="127.0.0.1", HTTP_X_FORWARDED_FOR=client))
    assert django_app.calls == 0
    assert counted(article) == 2


@pytest.mark.parametrize(
    "request_env",
    [
        environ("/gelesen/"),  # GET: Django answers 405
        environ("/andere-seite/", method="POST"),
        {**environ("/gelesen/", method="POST"), "HTTP_HOST": "nicht-erlaubt.example"},
        {**environ("/gelesen/", method="POST"), "CONTENT_LENGTH": str(views.MAX_BEACON_BYTES + 1)},
    ],
)
def test_what_django_must_judge_goes_to_django(app, django_app, request_env, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    call(app, request_env)
    assert django_app.calls == 1


def test_plain_http_goes_to_djangos_redirect_when_https_is_required(article, settings):
    settings.SECURE_SSL_REDIRECT = True
    # Django's middleware reads the setting when the handler is built.
    with counting_django() as django_app:
        app = ReadBeaconApplication(django_app)
        assert call(app, beacon(article.pk))[0] == 301
        assert django_app.calls == 1
        assert call(app, beacon(article.pk, **{"wsgi.url_scheme": "https"}))[0] == 204
        assert django_app.calls == 1


def test_counts_due_for_the_database_are_written_by_django(app, django_app, article, settings):
    settings.READS_FLUSH_SECONDS = 0  # the process's own counts are due at every beacon
    assert call(app, beacon(article.pk))[0] == 204
    assert django_app.calls == 1
    assert ArticleReadHour.objects.get(article=article).views == 1


def test_an_error_hands_the_beacon_to_django_with_its_body(app, django_app, article, monkeypatch):
    real = views.beacon_status
    calls = []

    def failing_once(request):
        calls.append(request)
        if len(calls) == 1:
            raise RuntimeError("broken")
        return real(request)

    monkeypatch.setattr(views, "beacon_status", failing_once)
    assert call(app, beacon(article.pk))[0] == 204
    assert django_app.calls == 1
    assert counted(article) == 1
