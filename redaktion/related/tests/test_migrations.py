"""``RelatedPick`` moved from ``news`` to ``related`` (``news.0003``, ``related.0004``): the
picks stored on either side of the move are there on the other, in their order, and so is
the content type that names the model."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from redaktion.news.factories import ArticlePageFactory, RessortPageFactory
from redaktion.news.models import ArticlePage
from redaktion.related.models import RelatedPick

BEFORE_THE_MOVE = [("news", "0002_create_homepage"), ("related", "0003_topic_postings")]


def migrate(targets):
    """Migrates the test database to ``targets``; returns the models of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def picks_of(article) -> list[int]:
    return [pick.article_id for pick in ArticlePage.objects.get(pk=article.pk).related_picks.all()]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_picks_survive_the_move_in_both_directions(home_page):
    ressort = RessortPageFactory(parent=home_page)
    article, first, second, third = (
        ArticlePageFactory(parent=ressort, publish=False) for _ in range(4)
    )
    RelatedPick.objects.create(page=article, article=third, sort_order=0)
    content_type = ContentType.objects.get(app_label="related", model="relatedpick").pk
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()

    old = migrate(BEFORE_THE_MOVE)
    try:
        OldPick = old.get_model("news", "RelatedPick")
        assert list(OldPick.objects.values_list("page_id", "article_id")) == [
            (article.pk, third.pk)
        ]
        OldPick.objects.create(page_id=article.pk, article_id=second.pk, sort_order=1)
        OldPick.objects.create(page_id=article.pk, article_id=first.pk, sort_order=2)
        assert ContentType.objects.get(app_label="news", model="relatedpick").pk == content_type
    finally:
        migrate(latest)

    assert picks_of(article) == [third.pk, second.pk, first.pk]
    assert ContentType.objects.get(app_label="related", model="relatedpick").pk == content_type
    assert not ContentType.objects.filter(app_label="news", model="relatedpick").exists()
