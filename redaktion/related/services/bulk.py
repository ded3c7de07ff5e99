"""Writing the whole index at once: bulk loads with the constraints and indexes dropped for
the load on PostgreSQL, COPY there and batched INSERTs elsewhere."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager

from django.core.management.color import no_style
from django.db import OperationalError, connection, transaction

from ..models import ArticleVector, CommonWord, Posting, Suggestion, Term, TopicPosting

# Rows per INSERT where COPY is not available.
INSERT_BATCH = 2000

# The tables of the index, which a rebuild empties and writes anew (children first).
INDEX_MODELS = (Suggestion, Posting, TopicPosting, ArticleVector, Term, CommonWord)


@contextmanager
def bulk_load(models):
    """On PostgreSQL, inside a transaction: the secondary indexes, unique and foreign-key
    constraints of ``models``' tables are dropped for the block and recreated after it, so
    that millions of rows are checked and indexed in a few set-based passes instead of one
    by one. The tables are locked for the transaction (the rebuild truncates them anyway)."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in models]
    try:
        # A transaction that already wrote to these tables has foreign-key checks pending
        # and cannot alter them: it loads with the constraints in place instead.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) "
                "AND contype IN ('f', 'u') ORDER BY contype DESC",
                [tables],
            )
            constraints = cursor.fetchall()
            for table, name, _ in reversed(constraints):
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                "FROM pg_index i WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary",
                [tables],
            )
            indexes = cursor.fetchall()
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX {name}")
    except OperationalError:
        yield
        return
    yield
    with connection.cursor() as cursor:
        for _, definition in indexes:
            cursor.execute(definition)
        # Unique constraints before the foreign keys that may rely on them.
        for table, name, definition in constraints:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def clear_index() -> None:
    """Empties the index tables (TRUNCATE on PostgreSQL where it can)."""
    tables = [m._meta.db_table for m in INDEX_MODELS]
    if connection.vendor == "postgresql":
        try:
            # Not possible in a transaction with foreign-key checks pending on the tables.
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {', '.join(tables)}")  # noqa: S608 - model tables
            return
        except OperationalError:
            pass
    # Plain DELETEs: Django's cascade collector would load every row first.
    for model in INDEX_MODELS:
        model.objects.all()._raw_delete(model.objects.db)


def write_rows(model, columns: list[str], rows: Iterable[tuple]) -> None:
    """Inserts ``rows`` (values in ``columns`` order): COPY on PostgreSQL, batched
    INSERTs elsewhere."""
    if connection.vendor == "postgresql":
        table = model._meta.db_table
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"  # noqa: S608
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            for values in rows:
                copy.write_row(values)
        return
    names = [model._meta.get_field(column).attname for column in columns]
    batch = []
    for values in rows:
        batch.append(model(**dict(zip(names, values, strict=True))))
        if len(batch) == INSERT_BATCH:
            model.objects.bulk_create(batch)
            batch = []
    model.objects.bulk_create(batch)


def reset_sequence(model) -> None:
    """Moves the id sequence of ``model``'s table past the ids written with ``write_rows``."""
    statements = connection.ops.sequence_reset_sql(no_style(), [model])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
