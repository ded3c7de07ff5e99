"""Wagtail names the top collection of images and documents "Root", which editors see in
every image and document chooser; the newsroom calls it "Medien". Only a collection still
named "Root" is renamed, so a name an administrator chose stays."""

from django.db import migrations

WAGTAIL_NAME = "Root"
NEWSROOM_NAME = "Medien"


def rename(apps, schema_editor, old=WAGTAIL_NAME, new=NEWSROOM_NAME):
    Collection = apps.get_model("wagtailcore", "Collection")
    Collection.objects.filter(depth=1, name=old).update(name=new)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, old=NEWSROOM_NAME, new=WAGTAIL_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
