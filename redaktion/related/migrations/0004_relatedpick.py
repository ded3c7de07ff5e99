"""``RelatedPick`` comes from ``news`` (see ``news.0003_relatedpick_moves_to_related``):
the table is already there under its new name, so this only adds the model to the state,
and moves the content type, so the permissions that name it stay attached."""

import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models


def move_content_type(source, target):
    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        db = schema_editor.connection.alias
        if ContentType.objects.using(db).filter(app_label=target, model="relatedpick").exists():
            return
        ContentType.objects.using(db).filter(app_label=source, model="relatedpick").update(
            app_label=target
        )

    return move


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("news", "0003_relatedpick_moves_to_related"),
        ("related", "0003_topic_postings"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RelatedPick",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "sort_order",
                            models.IntegerField(blank=True, editable=False, null=True),
                        ),
                        (
                            "article",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="news.articlepage",
                                verbose_name="article",
                            ),
                        ),
                        (
                            "page",
                            modelcluster.fields.ParentalKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="related_picks",
                                to="news.articlepage",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["sort_order"],
                        "abstract": False,
                    },
                ),
            ],
        ),
        migrations.RunPython(
            move_content_type("news", "related"), move_content_type("related", "news")
        ),
    ]
