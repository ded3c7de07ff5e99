"""The searchable text next to the documents: a weighted tsvector with a GIN index on
PostgreSQL, an FTS5 table on SQLite (see models.py)."""

from django.db import migrations


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE suche_searchdocument ADD COLUMN vector tsvector")
        schema_editor.execute(
            "CREATE INDEX suche_doc_vector ON suche_searchdocument USING gin (vector)"
        )
        # Keep the tsvectors out of line so that the rows the facets read stay small.
        schema_editor.execute(
            "ALTER TABLE suche_searchdocument SET (toast_tuple_target = 128)"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE suche_fts USING fts5(headline, lead, body, topics, "
            "tokenize = 'unicode61 remove_diacritics 0')"
        )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS suche_doc_vector")
        schema_editor.execute("ALTER TABLE suche_searchdocument DROP COLUMN IF EXISTS vector")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS suche_fts")


class Migration(migrations.Migration):
    dependencies = [("suche", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
