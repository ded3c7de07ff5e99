"""Fixtures shared by every app's tests."""

import os

import pytest


def _on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` skip on SQLite on a developer's machine. In CI they must run:
    there a selected PostgreSQL test without PostgreSQL fails instead of skipping."""
    if _on_postgres():
        return
    in_ci = os.environ.get("CI") == "true"
    for item in items:
        if item.get_closest_marker("postgres"):
            if in_ci:
                item.add_marker(pytest.mark.usefixtures("_fail_without_postgres"))
            else:
                item.add_marker(pytest.mark.skip(reason="needs DATABASE_URL=postgres://…"))


@pytest.fixture
def _fail_without_postgres():
    pytest.fail("CI must run the PostgreSQL tests: set DATABASE_URL=postgres://…")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def home_page(db):
    from redaktion.news.models import HomePage

    return HomePage.objects.get(depth=2)
