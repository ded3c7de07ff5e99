"""Planner statistics: the query planner chooses indexes from the statistics of each table,
and a table that was just created or filled in bulk has none (or those of an empty table).

``refresh_statistics()`` refreshes them: ``ANALYZE`` on PostgreSQL; on SQLite ``ANALYZE``
with ``analysis_limit`` (each index sampled, so the cost does not grow with the archive) and
``PRAGMA optimize``. It runs after ``migrate`` (``post_migrate``, once per run) and after
each bulk load (the demo newsroom, the benchmark's generated archive, the related rebuild
and search index, which analyse their own tables). SQLite's ``PRAGMA optimize`` alone
analyses only tables the same connection has queried (before SQLite 3.46), so after a load
it would do nothing.
"""

from django.db import DEFAULT_DB_ALIAS, connections

# Rows SQLite samples per index (its documented suggestion for a bounded ANALYZE).
SQLITE_ANALYSIS_LIMIT = 1000


def refresh_statistics(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Refresh the planner statistics of database ``using``; returns the statements run
    (none for a backend without such a command)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        statements = ["ANALYZE"]
    elif connection.vendor == "sqlite":
        statements = [
            f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}",
            "ANALYZE",
            "PRAGMA optimize",
        ]
    else:
        return []
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return statements


def statistics_after_migrate(sender, using=DEFAULT_DB_ALIAS, plan=None, **kwargs) -> None:
    """``post_migrate`` receiver (for the core app only, so once per ``migrate``): refresh
    the statistics when the run applied migrations."""
    if plan:
        refresh_statistics(using)
