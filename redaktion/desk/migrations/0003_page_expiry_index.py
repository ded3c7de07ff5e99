"""The worker reads the next due time of scheduled publishing every second on SQLite (and at
every schedule change on PostgreSQL). Revisions' ``approved_go_live_at`` has Wagtail's index;
pages' ``expire_at`` has none, so the earliest expiry would scan the whole page table. A
partial index holds only the pages that have an expiry, which are few."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0002_root_collection_name"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS desk_page_expire_at ON wagtailcore_page (expire_at) "
            "WHERE expire_at IS NOT NULL",
            "DROP INDEX IF EXISTS desk_page_expire_at",
        )
    ]
