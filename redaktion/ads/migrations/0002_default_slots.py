"""The slots the reader templates offer, switched off until ad operations enable them."""

from django.db import migrations

DEFAULT_SLOTS = [
    ("river", "native", 4),
    ("article_inline", "rectangle", 3),
    ("article_bottom", "native", 1),
    ("home", "billboard", 1),
    ("ressort", "leaderboard", 1),
]


def create_slots(apps, schema_editor):
    Slot = apps.get_model("ads", "Slot")
    for placement, size, position in DEFAULT_SLOTS:
        Slot.objects.get_or_create(
            placement=placement, defaults={"size": size, "position": position, "enabled": False}
        )


class Migration(migrations.Migration):
    dependencies = [("ads", "0001_initial")]

    operations = [migrations.RunPython(create_slots, migrations.RunPython.noop)]
