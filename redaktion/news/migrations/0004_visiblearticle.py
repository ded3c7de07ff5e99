from collections import defaultdict

from django.db import migrations, models
from django.utils import timezone

from redaktion.news.events import ArticleFacts

STEPLEN = 4  # the length of one level of Wagtail's tree paths


def seed(apps, schema_editor):
    """Records the articles readers see today as already processed, so the first publish
    after the upgrade compares against them instead of announcing them anew."""
    ArticlePage = apps.get_model("news", "ArticlePage")
    Page = apps.get_model("wagtailcore", "Page")
    PageViewRestriction = apps.get_model("wagtailcore", "PageViewRestriction")
    TaggedArticle = apps.get_model("news", "TaggedArticle")
    ArticleAuthor = apps.get_model("news", "ArticleAuthor")
    VisibleArticle = apps.get_model("news", "VisibleArticle")

    restricted = list(PageViewRestriction.objects.values_list("page__path", flat=True))
    rows = [
        row
        for row in ArticlePage.objects.filter(
            live=True, first_published_at__lte=timezone.now()
        ).values_list(
            "pk", "title", "url_path", "path", "first_published_at", "updated_at",
            "live_revision_id",
        )
        if not any(row[3].startswith(path) for path in restricted)
    ]
    parents = dict(
        Page.objects.filter(path__in={row[3][:-STEPLEN] for row in rows}).values_list("path", "pk")
    )
    topics = defaultdict(list)
    for article_id, tag_id in TaggedArticle.objects.order_by("tag_id").values_list(
        "content_object_id", "tag_id"
    ):
        topics[article_id].append(tag_id)
    authors = defaultdict(list)
    for article_id, author_id in ArticleAuthor.objects.order_by("sort_order", "pk").values_list(
        "page_id", "author_id"
    ):
        authors[article_id].append(author_id)
    VisibleArticle.objects.bulk_create(
        VisibleArticle(
            article_id=pk,
            facts=ArticleFacts(
                title=title,
                url_path=url_path,
                ressort_id=parents.get(path[:-STEPLEN]),
                topic_ids=tuple(topics[pk]),
                author_ids=tuple(authors[pk]),
                first_published_at=first_published_at,
                updated_at=updated_at,
                revision_id=revision_id,
            ).as_json(),
        )
        for pk, title, url_path, path, first_published_at, updated_at, revision_id in rows
    )


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0003_relatedpick_moves_to_related"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="VisibleArticle",
            fields=[
                ("article_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("facts", models.JSONField()),
                ("recorded_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "visible article",
                "verbose_name_plural": "visible articles",
            },
        ),
        migrations.RunPython(seed, migrations.RunPython.noop, elidable=True),
    ]
