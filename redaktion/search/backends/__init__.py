"""SQL of the search index, one backend per database.

* ``base``: the rows, filters, ranking and facets the backends exchange, and what every
  backend shares (compound widening, filters, facet rows, the parts of the score, the
  match query);
* ``postgres``: PostgreSQL full text (production);
* ``sqlite``: SQLite FTS5 (the embedded default).

``backend()`` picks the one of the database connection.
"""

from django.db import connection as default_connection

from .base import Backend, Facets, Filters, IndexRow, Ranking, RankWeights
from .postgres import PostgresBackend
from .sqlite import SqliteBackend

__all__ = [
    "Backend",
    "Facets",
    "Filters",
    "IndexRow",
    "PostgresBackend",
    "Ranking",
    "RankWeights",
    "SqliteBackend",
    "backend",
]


def backend(connection=None, **tables) -> Backend:
    """The backend of ``connection`` (the default database unless given)."""
    connection = connection or default_connection
    if connection.vendor == "postgresql":
        return PostgresBackend(connection, **tables)
    if connection.vendor == "sqlite":
        return SqliteBackend(connection, **tables)
    raise NotImplementedError(f"search index: no backend for {connection.vendor}")
