"""The ranking profile on PostgreSQL: a short tsvector per article (headline, lead, topics,
the first words of the body) that the relevance score reads instead of the whole text (see
``backends.postgres.RANK_BODY_TOKENS``), kept in the row. SQLite ranks with FTS5 and needs nothing.

Existing rows get their profile derived from their tsvector in SQL, in batches that commit
one by one (about 700 rows a second), so that the rows are not locked for the whole
backfill; until a row has its profile, the ranking reads its whole text.
"""

from django.db import migrations

BATCH = 10_000


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from redaktion.search.backends import PostgresBackend

    schema_editor.execute("ALTER TABLE suche_searchdocument ADD COLUMN rank_vector tsvector")
    # In the row (MAIN), not in TOAST like the whole text: a TOAST read costs an index
    # lookup per row, about as much as ranking the row.
    schema_editor.execute(
        "ALTER TABLE suche_searchdocument ALTER COLUMN rank_vector SET STORAGE MAIN"
    )
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT min(article_id), max(article_id) FROM suche_searchdocument")
        low, high = cursor.fetchone()
        if low is None:
            return
        for start in range(low, high + 1, BATCH):
            cursor.execute(
                "UPDATE suche_searchdocument SET rank_vector = "
                f"{PostgresBackend.rank_vector_sql()} "
                "WHERE article_id >= %s AND article_id < %s AND rank_vector IS NULL",
                [start, start + BATCH],
            )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE suche_searchdocument DROP COLUMN IF EXISTS rank_vector"
        )


class Migration(migrations.Migration):
    # Each batch of the backfill commits on its own.
    atomic = False

    dependencies = [("suche", "0002_text_index")]

    operations = [migrations.RunPython(forwards, backwards)]
