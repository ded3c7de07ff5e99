"""Fixtures shared by every app's tests."""

import os

import pytest


def pytest_configure(config):
    # In CI the PostgreSQL-backed run is mandatory: a missing DATABASE_URL is an error there.
    if os.environ.get("CI") == "true" and not os.environ.get("DATABASE_URL", "").startswith(
        "postgres"
    ):
        raise pytest.UsageError("CI=true needs DATABASE_URL=postgres://… so PostgreSQL is tested")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def home_page(db):
    from redaktion.news.models import HomePage

    return HomePage.objects.get(depth=2)
