"""Fixtures of the ad tests, usable by other apps' tests too:

    from redaktion.ads.tests.conftest import running_native_campaign  # noqa: F401

``running_native_campaign``: an enabled river slot and a running native campaign whose
teaser title is ``factories.NATIVE_TITLE``; nothing that lists content may show it.
"""

import pytest

from redaktion.ads import snapshot

from . import factories

BROWSER_TESTS = "redaktion/ads/tests/test_browser.py"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The browser tests go last. Once Playwright's event loop runs in the test thread, that
    thread gets a new database connection without the serialized copy of the database, so
    a later ``serialized_rollback`` test would start from the empty database their flush
    leaves behind (other apps' tests rely on the home page the migrations create)."""
    browser = [item for item in items if item.nodeid.startswith(BROWSER_TESTS)]
    if browser:
        items[:] = [item for item in items if item not in browser] + browser


@pytest.fixture(autouse=True)
def _fresh_snapshot():
    snapshot.forget()
    yield
    snapshot.forget()


@pytest.fixture
def running_native_campaign(db):
    return factories.running_native_campaign()
