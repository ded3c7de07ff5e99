"""Fixtures for the syndication tests: a brand, Ressorts, authors and topics."""

import pytest
from django.core.cache import cache
from wagtail.models import Site

from redaktion.news.models import Author, Topic

from .helpers import make_brand, make_ressort


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    # Site root paths and renditions are cached; a previous test's rows are gone.
    cache.clear()
    # These tests read what the views compute; the page cache in front of them has its own.
    settings.PAGE_CACHE_ENABLED = False
    yield
    cache.clear()


@pytest.fixture
def site(db):
    return Site.objects.select_related("root_page").get(is_default_site=True)


@pytest.fixture
def brand(site):
    return make_brand(site)


@pytest.fixture
def politik(home_page):
    return make_ressort(home_page, "Politik", "politik")


@pytest.fixture
def wirtschaft(home_page):
    return make_ressort(home_page, "Wirtschaft", "wirtschaft")


@pytest.fixture
def anna(db):
    return Author.objects.create(name="Anna Berg", slug="anna-berg", role="Korrespondentin")


@pytest.fixture
def jonas(db):
    return Author.objects.create(name="Jonas Weber", slug="jonas-weber")


@pytest.fixture
def nato(db):
    return Topic.objects.create(name="Nato", slug="nato", description="Das Bündnis.")


@pytest.fixture
def ukraine(db):
    return Topic.objects.create(name="Ukraine", slug="ukraine")
