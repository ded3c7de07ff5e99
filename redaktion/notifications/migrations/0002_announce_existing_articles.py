"""Articles published before alerts existed count as announced: editing one later must not
notify anyone."""

from django.db import migrations


def announce_existing(apps, schema_editor):
    ArticlePage = apps.get_model("news", "ArticlePage")
    Announcement = apps.get_model("notifications", "Announcement")
    Announcement.objects.bulk_create(
        [
            Announcement(article_id=pk)
            for pk in ArticlePage.objects.filter(live=True).values_list("pk", flat=True)
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("news", "0002_create_homepage"),
    ]

    operations = [migrations.RunPython(announce_existing, migrations.RunPython.noop)]
