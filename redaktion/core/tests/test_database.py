"""The planner's statistics are refreshed after migrate and after bulk loads."""

import pytest
from django.apps import apps
from django.db import connection
from django.db.models.signals import post_migrate
from django.test.utils import CaptureQueriesContext

from redaktion.core import database

pytestmark = pytest.mark.django_db


def test_the_statistics_are_refreshed_for_the_database_in_use():
    with CaptureQueriesContext(connection) as queries:
        statements = database.refresh_statistics()
    assert [query["sql"] for query in queries.captured_queries] == statements
    expected = {
        "postgresql": ["ANALYZE"],
        "sqlite": ["PRAGMA analysis_limit=1000", "ANALYZE", "PRAGMA optimize"],
    }
    assert statements == expected[connection.vendor]


def send_post_migrate(plan):
    core = apps.get_app_config("core")
    post_migrate.send(
        sender=core,
        app_config=core,
        verbosity=0,
        interactive=False,
        using="default",
        plan=plan,
        apps=apps,
    )


def test_a_migrate_that_applied_migrations_refreshes_them(monkeypatch):
    calls = []
    monkeypatch.setattr(database, "refresh_statistics", calls.append)
    send_post_migrate(plan=[])
    assert calls == []  # nothing migrated, nothing changed
    send_post_migrate(plan=[(object(), False)])
    assert calls == ["default"]
