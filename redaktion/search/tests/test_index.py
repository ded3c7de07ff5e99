"""The index follows the page tree: publish, schedule, move, unpublish, delete, rebuild."""

# SQL here is built from the backend's own expressions; values are parameters.
# ruff: noqa: S608

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from wagtail.models import PageViewRestriction

from redaktion.news.events import ArticleEvent
from redaktion.news.factories import TopicFactory
from redaktion.news.models import ArticlePage
from redaktion.news.publishing import article_facts
from redaktion.news.reconcile import reconcile
from redaktion.search import pipeline, selectors
from redaktion.search.backends import PostgresBackend, backend, postgres
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
        draft = article(
            ressorts["Politik"], title="Gletscher", body="Eis.", publish=False, live=False
        )
    draft.go_live_at = timezone.now() + timedelta(days=1)
    with run_tasks():
        draft.save_revision().publish()
    assert not SearchDocument.objects.filter(article=draft).exists()
    # A new revision of a live article scheduled for later leaves the live version live and
    # found as it is; the new text is not found before it goes live.
    page.title = "Tsunami"
    page.go_live_at = timezone.now() + timedelta(days=1)
    with run_tasks():
        page.save_revision().publish()
    assert ArticlePage.objects.get(pk=page.pk).live
    assert found("Tsunami", ressorts) == []
    assert found("Vulkan", ressorts) == ["Vulkan"]


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


@pytest.mark.postgres
def test_postgres_ranking_profile_is_the_top_of_the_text(ressorts, run_tasks, monkeypatch):
    monkeypatch.setattr(postgres, "RANK_BODY_TOKENS", 3)
    with run_tasks():
        page = article(
            ressorts["Politik"],
            title="Vulkan",
            lead="Asche fällt.",
            body="Lava fließt über Felder und Dörfer.",
            topics=[TopicFactory(name="Island")],
        )
    with connection.cursor() as cursor:
        columns = f"vector::text, rank_vector::text, {PostgresBackend.rank_vector_sql()}::text"
        cursor.execute(
            f"SELECT {columns} FROM suche_searchdocument WHERE article_id = %s", [page.pk]
        )
        vector, profile, derived = cursor.fetchone()
    # Headline, lead, the body's first three words and the topic, which follows them.
    assert "'vulkan':1A" in profile
    assert "'asch':2B" in profile
    assert "'lava':4C" in profile
    assert "'feld':6C" in profile
    assert "'island':7" in profile
    assert "'dorf'" in vector
    assert "'dorf'" not in profile
    # The migration's SQL derives the same profile from the whole text.
    assert derived == profile


def _documents(*terms):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT term, documents FROM suche_searchterm WHERE term = ANY(%s)", [list(terms)]
        )
        return dict(cursor.fetchall())


@pytest.mark.postgres
def test_postgres_vocabulary_counts_the_documents_of_each_term(ressorts, run_tasks):
    with run_tasks():
        first = article(ressorts["Politik"], title="Vulkan", body="Lava und Asche.")
        second = article(ressorts["Politik"], title="Vulkan", body="Asche im Tal.")
    assert _documents("vulkan", "asch", "lava", "tal") == {
        "vulkan": 2,
        "asch": 2,
        "lava": 1,
        "tal": 1,
    }
    # Editing counts the new text instead of the old one.
    second.title = "Gletscher"
    with run_tasks():
        second.save_revision().publish()
    assert _documents("vulkan", "gletsch") == {"vulkan": 1, "gletsch": 1}
    # Unpublishing and deleting (the page's row goes by cascade) count down.
    with run_tasks():
        second.unpublish()
    assert _documents("gletsch", "tal")["tal"] == 0
    with run_tasks():
        ArticlePage.objects.get(pk=first.pk).delete()
    assert set(_documents("vulkan", "asch", "lava").values()) == {0}
    # A rebuild leaves the counts as they are.
    with run_tasks():
        article(ressorts["Politik"], title="Vulkan", body="Lava.")
    search_rebuild()
    assert _documents("vulkan", "lava", "asch") == {"vulkan": 1, "lava": 1, "asch": 0}


def test_the_search_reads_how_many_articles_have_each_word(ressorts, run_tasks):
    # On SQLite from FTS5's own vocabulary (suche_fts_vocab), on PostgreSQL from the counts
    # of the vocabulary table: words of no article left are no words of the index.
    with run_tasks():
        article(ressorts["Politik"], title="Vulkan", body="Lava und Asche.")
        second = article(ressorts["Politik"], title="Vulkan", body="Asche im Tal.")
    index = backend()
    assert index._documents(["vulkan", "asch", "tal", "gletsch"]) == {
        "vulkan": 2,
        "asch": 2,
        "tal": 1,
    }
    with run_tasks():
        second.unpublish()
    assert index._documents(["vulkan", "asch", "tal"]) == {"vulkan": 1, "asch": 1}


def test_the_search_step_follows_the_event_and_is_idempotent(ressorts):
    page = article(next(iter(ressorts.values())), title="Wahl in Bayern")
    SearchDocument.objects.all().delete()
    facts = article_facts(page)
    shown = ArticleEvent.between(page.pk, None, facts).as_json()
    pipeline.entry(shown)
    pipeline.entry(shown)
    assert SearchDocument.objects.filter(article_id=page.pk).count() == 1
    page.unpublish()
    pipeline.entry(ArticleEvent.between(page.pk, facts, None).as_json())
    assert not SearchDocument.objects.filter(article_id=page.pk).exists()


def test_reconciliation_repairs_a_lost_or_stale_entry(ressorts, run_tasks):
    with run_tasks():
        lost = article(next(iter(ressorts.values())), title="Wahl in Bayern")
        stale = article(next(iter(ressorts.values())), title="Wahl in Hessen")
    backend().delete([lost.pk])
    SearchDocument.objects.filter(pk=stale.pk).update(
        indexed_at=stale.last_published_at - timedelta(seconds=1)
    )
    assert pipeline.derived_data_missing() == {lost.pk, stale.pk}
    with run_tasks():
        assert reconcile().repairs == 2
    assert pipeline.derived_data_missing() == set()
    assert "Wahl in Bayern" in found("Bayern", ressorts)
