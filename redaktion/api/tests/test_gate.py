"""Caching like the pages (ETag and 304, Cache-Control, surrogate keys), rate limits per
key and per reader, CORS by setting, and API keys made by the command."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command

from redaktion.api.models import ApiKey
from redaktion.api.services import api_key_create
from redaktion.core.fasthit import CachedPageApplication
from redaktion.core.surrogate import purge
from redaktion.core.tests.wsgi import call, counting_django, environ
from redaktion.news.models import ArticlePage

pytestmark = pytest.mark.django_db


def test_etag_304_cache_control_and_surrogate_keys(client, newsroom, django_assert_num_queries):
    first = client.get("/api/v1/articles/")
    assert first.status_code == 200
    assert first["Cache-Control"].startswith("public, max-age=")
    assert {f"article-{newsroom['older'].pk}", "river"} <= set(first["Surrogate-Key"].split())
    with django_assert_num_queries(0):  # from the page cache
        again = client.get("/api/v1/articles/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    # A publish purges the river: the list is built again, with a new ETag once it changed.
    older = ArticlePage.objects.get(pk=newsroom["older"].pk)
    older.title = "Geändert"
    older.save()
    purge([f"article-{older.pk}"])
    changed = client.get("/api/v1/articles/", headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_a_filtered_list_is_not_stored_but_answers_304(client, newsroom):
    first = client.get("/api/v1/articles/", {"topic": "wahl"})
    again = client.get(
        "/api/v1/articles/", {"topic": "wahl"}, headers={"if-none-match": first["ETag"]}
    )
    assert again.status_code == 304


def test_anonymous_rate_limit_per_reader(client, newsroom, settings):
    settings.API_RATE_LIMIT_ANONYMOUS = 3
    for _ in range(3):
        assert client.get("/api/v1/ressorts/", REMOTE_ADDR="192.0.2.1").status_code == 200
    refused = client.get("/api/v1/ressorts/", REMOTE_ADDR="192.0.2.1")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused["X-RateLimit-Limit"] == "3"
    # Another reader has a limit of his own; nothing names the address in the cache.
    assert client.get("/api/v1/ressorts/", REMOTE_ADDR="192.0.2.2").status_code == 200
    assert not any("192.0.2.1" in key for key in cache._cache)


def test_a_partner_key_has_its_own_higher_limit(client, newsroom, settings):
    settings.API_RATE_LIMIT_ANONYMOUS = 1
    _key, raw = api_key_create(name="App", requests_per_minute=4)
    headers = {"x-api-key": raw}
    statuses = [client.get("/api/v1/topics/", headers=headers).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    assert client.get("/api/v1/topics/").status_code == 200  # the anonymous one is apart


def test_unknown_and_revoked_keys_are_refused(client, newsroom):
    assert client.get("/api/v1/topics/", headers={"x-api-key": "nope"}).status_code == 401
    key, raw = api_key_create(name="Alt")
    assert client.get("/api/v1/topics/", headers={"x-api-key": raw}).status_code == 200
    ApiKey.objects.filter(pk=key.pk).update(active=False)
    cache.clear()  # the key's cached lookup lasts a minute
    assert client.get("/api/v1/topics/", headers={"x-api-key": raw}).status_code == 401


def test_cors_open_by_default(client, newsroom):
    response = client.get("/api/v1/ressorts/", headers={"origin": "https://app.example"})
    assert response["Access-Control-Allow-Origin"] == "*"


def test_cors_for_the_configured_origins_only(client, newsroom, settings):
    settings.API_CORS_ORIGINS = ("https://app.example",)
    allowed = client.get("/api/v1/ressorts/", headers={"origin": "https://app.example"})
    assert allowed["Access-Control-Allow-Origin"] == "https://app.example"
    assert "Origin" in allowed["Vary"]
    other = client.get("/api/v1/ressorts/", headers={"origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other
    preflight = client.options(
        "/api/v1/ressorts/",
        headers={
            "origin": "https://app.example",
            "access-control-request-method": "GET",
            "access-control-request-headers": "x-api-key",
        },
    )
    assert preflight.status_code == 204
    assert "X-API-Key" in preflight["Access-Control-Allow-Headers"]


def test_the_command_makes_lists_and_revokes_keys(client, newsroom):
    out = io.StringIO()
    call_command(
        "api_keys", "create", "Partner", "--per-minute", "50", stdout=out, stderr=io.StringIO()
    )
    raw = out.getvalue().strip()
    key = ApiKey.objects.get()
    assert raw.startswith(key.prefix + ".") and raw not in key.key_hash
    listing = io.StringIO()
    call_command("api_keys", "list", stdout=listing)
    assert "Partner\t50\tactive" in listing.getvalue()
    call_command("api_keys", "revoke", key.prefix)
    assert not ApiKey.objects.get().active


def test_the_api_sets_no_cookie_and_needs_no_session(client, newsroom):
    response = client.get("/api/v1/articles/")
    assert not response.cookies


def test_a_cached_answer_passes_the_gate_in_front_of_django(settings, newsroom):
    """The fast hit in front of Django (redaktion.core.fasthit) leaves the API to Django's
    middleware, so cached answers get CORS and count against the limit, and the headers of
    the gate never join the pages' decoration."""
    settings.API_RATE_LIMIT_ANONYMOUS = 2
    with counting_django() as django_app:
        app = CachedPageApplication(django_app)
        reader = {"REMOTE_ADDR": "192.0.2.9"}
        answers = [call(app, environ("/api/v1/ressorts/", **reader)) for _ in range(3)]
        home = call(app, environ("/", **reader))
    assert [status for status, _headers, _body in answers] == [200, 200, 429]
    assert all(headers["Access-Control-Allow-Origin"] == "*" for _s, headers, _b in answers)
    assert "X-RateLimit-Limit" not in home[1]
