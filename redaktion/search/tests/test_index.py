"""The index follows the page tree: publish, schedule, move, unpublish, delete, rebuild."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from wagtail.models import PageViewRestriction

from redaktion.news.models import ArticlePage
from redaktion.search import selectors
from redaktion.search.models import SearchDocument, SearchTerm
from redaktion.search.services import search_index_article, search_rebuild

from .helpers import article, titles

pytestmark = pytest.mark.django_db


def found(text, ressorts):
    return titles(selectors.search(text=text, ressort_list=list(ressorts.values())))


def test_publishing_indexes_the_article_with_its_vocabulary(ressorts, run_tasks):
    with run_tasks():
        page = article(ressorts["Politik"], title="Vulkan", body="Wirtschaftsnachrichten.")
    document = SearchDocument.objects.get(article=page)
    assert document.ressort_id == ressorts["Politik"].pk
    assert document.author_ids == [a.pk for a in page.authors]
    assert SearchTerm.objects.filter(
        term="wirtschaftsnachricht", reversed="thcirhcanstfahcstriw"
    ).exists()


def test_a_scheduled_revision_is_not_found_before_it_goes_live(ressorts, run_tasks):
    with run_tasks():
        page = article(ressorts["Politik"], title="Vulkan", body="Asche.")
        draft = article(ressorts["Politik"], title="Gletscher", body="Eis.", live=False)
    draft.go_live_at = timezone.now() + timedelta(days=1)
    with run_tasks():
        draft.save_revision().publish()
    assert not SearchDocument.objects.filter(article=draft).exists()
    # Scheduling a new revision of a live article takes it offline until then.
    page.title = "Tsunami"
    page.go_live_at = timezone.now() + timedelta(days=1)
    with run_tasks():
        page.save_revision().publish()
    assert not SearchDocument.objects.exists()
    assert found("Tsunami", ressorts) == []


def test_moving_updates_the_ressort(ressorts, run_tasks):
    with run_tasks():
        page = article(ressorts["Politik"], title="Vulkan", body="Asche.")
    with run_tasks():
        page.move(ressorts["Sport"], pos="last-child")
    assert SearchDocument.objects.get(article=page).ressort_id == ressorts["Sport"].pk


def test_deleting_removes_the_text_too(ressorts, run_tasks):
    with run_tasks():
        page = article(ressorts["Politik"], title="Vulkan", body="Asche.")
    with run_tasks():
        ArticlePage.objects.get(pk=page.pk).delete()
    assert not SearchDocument.objects.exists()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM suche_fts")
            assert cursor.fetchone()[0] == 0


def test_indexing_twice_changes_nothing_and_restricted_pages_leave(ressorts, run_tasks):
    with run_tasks():
        page = article(ressorts["Politik"], title="Vulkan", body="Asche.")
    assert search_index_article(article_id=page.pk)
    assert search_index_article(article_id=page.pk)
    assert found("Vulkan", ressorts) == ["Vulkan"]
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
    assert not search_index_article(article_id=page.pk)
    assert found("Vulkan", ressorts) == []


def test_rebuild_indexes_what_is_published_and_drops_the_rest(ressorts, run_tasks):
    with run_tasks():
        kept = article(ressorts["Politik"], title="Vulkan", body="Asche.")
        article(ressorts["Politik"], title="Gletscher", body="Eis.")
    SearchDocument.objects.filter(article=kept).delete()
    ArticlePage.objects.filter(title="Gletscher").update(live=False)
    assert search_rebuild() == 1
    assert found("Vulkan", ressorts) == ["Vulkan"]
    assert found("Gletscher", ressorts) == []


@pytest.mark.postgres
def test_postgres_stores_weighted_stems_in_a_gin_indexed_tsvector(ressorts, run_tasks):
    with run_tasks():
        page = article(
            ressorts["Politik"], title="Vulkan", lead="Asche fällt.", body="Lava fließt."
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT vector::text FROM suche_searchdocument WHERE article_id = %s", [page.pk]
        )
        vector = cursor.fetchone()[0]
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'suche_doc_vector'")
        index = cursor.fetchone()[0]
    assert "'vulkan':1A" in vector
    assert "'asch':2B" in vector
    assert "'lava':4C" in vector
    assert "USING gin (vector)" in index
