"""Document frequencies on SQLite: ``suche_fts_vocab``, FTS5's own vocabulary of
``suche_fts`` (``fts5vocab``, one row per term with the number of articles that have it),
which FTS5 keeps exact itself. The search reads how often a word and the parts of a possible
compound stand on their own to decide whether the word is a compound (``Backend.expand``);
PostgreSQL has the counts in ``suche_searchterm.documents`` (0004).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from redaktion.search.backends import SqliteBackend

    schema_editor.execute(SqliteBackend().vocab_sql())


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute("DROP TABLE IF EXISTS suche_fts_vocab")


class Migration(migrations.Migration):
    dependencies = [("suche", "0005_editorial_rules_and_query_log")]

    operations = [migrations.RunPython(forwards, backwards)]
