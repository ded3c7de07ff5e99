"""Fixtures for the reader-site tests: a small newsroom, and a clean cache per test so that
neither Django's page cache nor the rendition cache carries pages between tests."""

import pytest
from django.core.cache import cache
from wagtail.models import Site

from redaktion.news import factories
from redaktion.news.factories import reseed

from .newsroom import build_brand, build_newsroom, build_ressorts


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    reseed()
    yield
    cache.clear()


@pytest.fixture
def site(home_page):
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def brand(site):
    return build_brand()


@pytest.fixture
def ressorts(home_page):
    return build_ressorts(home_page)


@pytest.fixture
def newsroom(brand, ressorts, home_page):
    return build_newsroom(home_page, brand, ressorts)


@pytest.fixture(scope="module")
def newsroom_once(module_db):
    """``newsroom`` with its Ressorts under ``"ressorts"``, built once per module in its
    transaction (``module_db``), for modules whose tests only read it: a test that changes
    one of its objects in memory belongs in a module with ``newsroom``."""
    reseed()
    # The page itself: the ``home_page`` fixture is per test.
    home = factories.home_page()
    ressorts = build_ressorts(home)
    return {**build_newsroom(home, build_brand(), ressorts), "ressorts": ressorts}
