"""Fixtures of the ad tests, usable by other apps' tests too:

    from redaktion.ads.tests.conftest import running_native_campaign  # noqa: F401

``running_native_campaign``: an enabled river slot and a running native campaign whose
teaser title is ``factories.NATIVE_TITLE``; nothing that lists content may show it.
"""

import pytest

from redaktion.ads import factories, snapshot


@pytest.fixture(autouse=True)
def _fresh_snapshot():
    snapshot.forget()
    yield
    snapshot.forget()


@pytest.fixture
def running_native_campaign(db):
    return factories.running_native_campaign()
