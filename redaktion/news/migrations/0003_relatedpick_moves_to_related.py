"""``RelatedPick`` moves to the ``related`` app, which owns "Mehr zum Thema".

The table is renamed to the name the related app gives it and the model leaves the news
state; ``related.0004_relatedpick`` takes it into its own state, so every pick stays.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0002_create_homepage"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="relatedpick", table="related_relatedpick"),
            ],
            state_operations=[
                migrations.DeleteModel(name="RelatedPick"),
            ],
        ),
    ]
