from datetime import UTC, datetime

from django.db import migrations, models
from django.utils import timezone


def fold_referrers_into_hours(apps, schema_editor):
    """Each day's referrer counts join the article's row for that day's first hour (the
    site's time zone), created with no views where the article had none then."""
    referrer_model = apps.get_model("analytics", "ArticleReferrer")
    hour_model = apps.get_model("analytics", "ArticleReadHour")
    for row in referrer_model.objects.order_by("pk").iterator():
        start = timezone.make_aware(datetime.combine(row.day, datetime.min.time()))
        bucket, _ = hour_model.objects.get_or_create(
            article_id=row.article_id, hour=start.astimezone(UTC)
        )
        referrers = dict(bucket.referrers)
        referrers[row.host] = referrers.get(row.host, 0) + row.views
        bucket.referrers = referrers
        bucket.save(update_fields=["referrers"])


class Migration(migrations.Migration):
    """Referrer hosts are kept with the views of the hour: a flush writes one row per
    article and hour, however many hosts the readers came from."""

    dependencies = [
        ("analytics", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="articlereadhour",
            name="referrers",
            field=models.JSONField(blank=True, default=dict, verbose_name="referrer hosts"),
        ),
        migrations.RunPython(fold_referrers_into_hours, migrations.RunPython.noop),
        migrations.DeleteModel(
            name="ArticleReferrer",
        ),
    ]
