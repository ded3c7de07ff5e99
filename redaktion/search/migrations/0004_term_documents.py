"""Document frequencies in the vocabulary on PostgreSQL: ``suche_searchterm.documents``, the
number of indexed articles with the term, kept exact by statement triggers on the document
table (``backends.postgres.PostgresBackend.count_triggers_sql``), whatever writes or deletes
rows: the index services, a page's deletion cascading to its document, ``search rebuild``. The
ranking reads a word's inverse document frequency from it (one index lookup) instead of
counting the word's matches at search time.

Existing rows are counted once, under a lock that keeps writers out until the triggers
take over.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from redaktion.search.backends import PostgresBackend

    schema_editor.execute(
        "ALTER TABLE suche_searchterm ADD COLUMN documents integer NOT NULL DEFAULT 0"
    )
    with schema_editor.connection.cursor() as cursor:
        # Without parameters: the function's body has format() placeholders of its own.
        cursor.execute(PostgresBackend.COUNT_FUNCTION_SQL)
    schema_editor.execute("LOCK TABLE suche_searchdocument IN SHARE MODE")
    for statement in PostgresBackend.count_triggers_sql(
        "suche_searchdocument", "suche_searchterm"
    ):
        schema_editor.execute(statement)
    schema_editor.execute(
        """INSERT INTO suche_searchterm AS t (term, reversed, documents)
        SELECT c.term, reverse(c.term), count(*) FROM (
            SELECT unnest(tsvector_to_array(vector)) AS term FROM suche_searchdocument
        ) AS c GROUP BY c.term
        ON CONFLICT (term) DO UPDATE SET documents = EXCLUDED.documents"""
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP FUNCTION IF EXISTS suche_count_terms() CASCADE")
    schema_editor.execute("ALTER TABLE suche_searchterm DROP COLUMN IF EXISTS documents")


class Migration(migrations.Migration):
    dependencies = [("suche", "0003_rank_vector")]

    operations = [migrations.RunPython(forwards, backwards)]
