"""The page cache is purged when what readers see changes, and only after the commit."""

import pytest
from django.core.cache import cache
from django.db import transaction
from wagtail.models import Page

from redaktion.core import surrogate
from redaktion.news import keys
from redaktion.news.factories import ArticlePageFactory, RessortPageFactory


@pytest.fixture
def ressort(home_page):
    return RessortPageFactory(parent=home_page, title="Politik")


def generation(article) -> int:
    """The version of the article's key, which every page showing it carries: a purge of the
    article gives it a new one (the publish pipeline's last step)."""
    return cache.get(surrogate.version_key(keys.article(article.pk)), 0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publishing_purges_after_commit(ressort):
    cache.clear()
    article = ArticlePageFactory(parent=ressort)
    before = generation(article)
    with transaction.atomic():
        article.title = "Neue Überschrift"
        article.save_revision().publish()
        assert generation(article) == before  # nothing purged while the transaction is open
    assert generation(article) > before


@pytest.mark.django_db
def test_unpublish_move_and_delete_purge(ressort, home_page, django_capture_on_commit_callbacks):
    article = ArticlePageFactory(parent=ressort)
    other = RessortPageFactory(parent=home_page, title="Panorama")
    for change in (
        lambda: article.unpublish(),
        lambda: article.save_revision().publish(),
        lambda: Page.objects.get(pk=article.pk).move(other, pos="last-child"),
        lambda: Page.objects.get(pk=article.pk).delete(),
    ):
        before = generation(article)
        with django_capture_on_commit_callbacks(execute=True):
            change()
        assert generation(article) > before


@pytest.mark.django_db
def test_scheduling_a_revision_does_not_purge(ressort, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    article = ArticlePageFactory(parent=ressort)
    article.go_live_at = timezone.now() + timedelta(hours=2)
    revision = article.save_revision(approved_go_live_at=article.go_live_at)
    before = generation(article)
    with django_capture_on_commit_callbacks(execute=True):
        revision.publish()
    assert generation(article) == before


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["brand", "ads"])
def test_a_settings_row_made_on_its_first_read_purges_nothing_but_an_edit_does(
    model, home_page, run_tasks
):
    """Wagtail creates a settings row when it is first read, which on a new site is a
    reader's page view: the pages already rendered showed those same defaults."""
    from wagtail.models import Site

    from redaktion.ads.models import AdSettings
    from redaktion.core.models import BrandSettings, OutboxEntry

    BrandSettings.objects.all().delete()
    AdSettings.objects.all().delete()
    site = Site.objects.get(is_default_site=True)
    load = {"brand": lambda: BrandSettings.for_site(site), "ads": AdSettings.load}[model]
    with run_tasks():
        row = load()
    assert row.pk and not OutboxEntry.objects.filter(step="core.purge_site").exists()

    if model == "brand":
        row.name = "Neue Zeitung"
    else:
        row.ads_enabled = False
    with run_tasks():
        row.save()
    assert OutboxEntry.objects.filter(step="core.purge_site").count() == 1
