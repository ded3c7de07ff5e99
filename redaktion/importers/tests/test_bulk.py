"""A bulk import (``--bulk``, the default for large files): the same articles as one by
one, without per-article pipeline work, and one rebuild and purge in the worker after."""

from datetime import UTC, datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageLogEntry

from redaktion.core.models import OutboxEntry
from redaktion.importers import bulk, wordpress
from redaktion.importers.articles import EntryWriter
from redaktion.importers.models import ImportedItem
from redaktion.news.factories import ArticlePageFactory
from redaktion.news.models import ArticlePage, VisibleArticle
from redaktion.news.publishing import article_facts, recorded_facts
from redaktion.news.reconcile import reconcile
from redaktion.notifications.models import Announcement, Delivery
from redaktion.notifications.tests.helpers import subscriber
from redaktion.related.models import ArticleVector
from redaktion.search.models import SearchDocument

from .test_bad_input import export, item
from .test_wordpress import EXPORT, article, imported, media, ressorts  # noqa: F401 (fixtures)


class RecordingPurger:
    """A purge backend that notes each purge it is asked for."""

    purges: list[list[str]] = []

    def purge(self, keys):
        RecordingPurger.purges.append(list(keys))


@pytest.fixture
def purges(settings):
    settings.SURROGATE_PURGE_BACKENDS = [f"{__name__}.RecordingPurger"]
    RecordingPurger.purges = []
    return RecordingPurger.purges


def bulk_import(media, path=EXPORT):  # noqa: F811 (the fixture's value)
    return imported(media, path, "--bulk")


def state(page: ArticlePage) -> dict:
    page = ArticlePage.objects.get(pk=page.pk)
    return {
        "live": page.live,
        "has_unpublished_changes": page.has_unpublished_changes,
        "first_published_at": page.first_published_at,
        "last_published_at": page.last_published_at,
        "latest_is_live": page.latest_revision_id == page.live_revision_id,
        "revision_created_at": page.live_revision.created_at,
        "revision_title": page.live_revision.as_object().title,
        "revision_lead": page.live_revision.as_object().lead,
        "url_path": page.url_path,
        "word_count": page.word_count,
        "facts": recorded_facts([page.pk])[page.pk] == article_facts(page),
        "announced": Announcement.objects.filter(article_id=page.pk).exists(),
        "published_log": list(
            PageLogEntry.objects.filter(page=page, action="wagtail.publish").values_list(
                "timestamp", flat=True
            )
        ),
    }


def test_a_bulk_import_makes_the_same_published_article(ressorts, media, django_db_blocker):  # noqa: F811
    imported(media)
    one_by_one = state(article(101))
    ArticlePage.objects.all().delete()
    ImportedItem.objects.all().delete()
    VisibleArticle.objects.all().delete()

    bulk_import(media)
    in_bulk = state(article(101))
    assert in_bulk == one_by_one
    assert in_bulk["first_published_at"] == datetime(2024, 3, 12, 8, 30, tzinfo=UTC)
    assert in_bulk["facts"] and in_bulk["announced"] and in_bulk["latest_is_live"]
    assert in_bulk["published_log"] == [in_bulk["first_published_at"]]
    # Scheduled posts and drafts keep Wagtail's own path.
    assert article(102).scheduled_revision is not None
    assert not article(103).live


def test_a_bulk_import_records_one_rebuild_instead_of_work_per_article(
    ressorts,  # noqa: F811
    media,  # noqa: F811
    purges,
    run_tasks,
):
    reader = subscriber("leserin@example.org", ressorts["lokales"], ressorts["vermischtes"])
    with run_tasks():
        pass  # the Ressorts' own events
    purges.clear()
    out, _err, _error = bulk_import(media)
    assert "Created 4" in out
    pending = OutboxEntry.objects.filter(state=OutboxEntry.State.PENDING)
    entries = pending.order_by("stage", "step")
    assert [(e.topic, e.step) for e in entries] == [
        ("import", "importers.references"),
        ("import", "importers.related"),
        ("import", "importers.search"),
        ("import", "importers.purge"),
    ]
    assert not SearchDocument.objects.exists()

    with run_tasks():
        pass
    published = article(101)
    assert list(SearchDocument.objects.values_list("article_id", flat=True)) == [published.pk]
    assert ArticleVector.objects.filter(pk=published.pk).exists()
    assert purges == [["site"]]
    assert not Delivery.objects.filter(subscriber=reader).exists()


def test_an_interrupted_bulk_import_still_rebuilds_and_resumes(ressorts, media, tmp_path):  # noqa: F811
    text = EXPORT.read_text()
    truncated = tmp_path / "truncated.xml"
    truncated.write_text(text[: text.index("Das Stadtfest kehrt zurück")])

    _out, _err, error = bulk_import(media, truncated)
    assert "not well-formed XML" in error
    assert OutboxEntry.objects.filter(topic="import").count() == 4
    assert not OutboxEntry.objects.filter(topic="article").exists()

    out, _err, _error = bulk_import(media)
    assert "Created 3, updated 0, unchanged 1" in out
    assert ArticlePage.objects.filter(slug="neue-bruecke").count() == 1
    assert VisibleArticle.objects.count() == 1


def test_a_re_run_in_bulk_records_no_rebuild(ressorts, media):  # noqa: F811
    bulk_import(media)
    OutboxEntry.objects.all().delete()
    out, _err, _error = bulk_import(media)
    assert "Created 0, updated 0, unchanged 4" in out
    assert not OutboxEntry.objects.exists()


def test_large_files_run_in_bulk_by_default(ressorts, media, monkeypatch):  # noqa: F811
    OutboxEntry.objects.all().delete()
    monkeypatch.setattr(wordpress, "BULK_FROM", 6)
    imported(media)
    assert set(OutboxEntry.objects.values_list("topic", flat=True)) == {"import"}
    OutboxEntry.objects.all().delete()
    monkeypatch.setattr(wordpress, "BULK_FROM", 7)
    imported(media, EXPORT, "--no-bulk")
    assert not OutboxEntry.objects.exists()  # nothing changed, nothing recorded


def test_facts_are_stored_in_batches(ressorts, media, monkeypatch):  # noqa: F811
    stored = []
    original = bulk.Facts.flush

    def flush(self):
        stored.append(list(self.ids))
        original(self)

    monkeypatch.setattr(bulk.Facts, "flush", flush)
    monkeypatch.setattr(bulk, "FACTS_BATCH", 1)
    bulk_import(media)
    assert stored[0] == [article(101).pk]
    assert VisibleArticle.objects.filter(article_id=article(101).pk).exists()


def test_a_run_killed_before_its_facts_are_stored_is_repaired_without_alerts(
    ressorts,  # noqa: F811
    media,  # noqa: F811
    run_tasks,
):
    reader = subscriber("leserin@example.org", ressorts["lokales"], ressorts["vermischtes"])
    bulk_import(media)
    VisibleArticle.objects.all().delete()
    OutboxEntry.objects.all().delete()
    with run_tasks():
        report = reconcile()
    assert report.events == 1
    published = article(101)
    assert recorded_facts([published.pk])[published.pk] == article_facts(published)
    assert SearchDocument.objects.filter(article_id=published.pk).exists()
    assert not Delivery.objects.filter(subscriber=reader).exists()


def test_the_queries_of_a_post_in_bulk_are_pinned(
    ressorts,  # noqa: F811
    media,  # noqa: F811
    tmp_path,
    django_assert_max_num_queries,
):
    first = export(tmp_path / "eins.xml", item(1))
    second = export(tmp_path / "zwei.xml", item(1), item(2))
    bulk_import(media, first)
    # A run of one new post after one unchanged: the file's facts, the unchanged post
    # (1), the new one in its transaction and the one rebuild event.
    # Content types are cached per process, filled or not by the tests before: start empty.
    # 48 on SQLite; on PostgreSQL 49 alone and one more after this file's other tests (a
    # cache outside the test's reach), hence the bound.
    ContentType.objects.clear_cache()
    with django_assert_max_num_queries(50):
        out, _err, error = bulk_import(media, second)
    assert error is None and "Created 1, updated 0, unchanged 1" in out


def test_each_new_post_in_bulk_takes_the_same_queries(
    ressorts,  # noqa: F811
    media,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    counts = []
    write = EntryWriter.write

    def counted(self, entry):
        with CaptureQueriesContext(connection) as queries:
            write(self, entry)
        counts.append(len(queries))

    monkeypatch.setattr(EntryWriter, "write", counted)
    out, _err, error = bulk_import(media, export(tmp_path / "fuenf.xml", *map(item, range(1, 6))))
    assert error is None and "Created 5" in out
    # The first post also reads what the run then keeps: its author, the Ressort's slugs,
    # the redirects, a content type. Each after it: its import record, the parent's child
    # count and last path, the page's two inserts and its index entry, its author, revision,
    # log entries, announcement, import record and redirect, within its savepoint. Wagtail's
    # index entry of a page takes one query more on PostgreSQL. What the first reads depends
    # on the caches of the process (content types, the default locale) that the tests
    # before filled or not: 37 to 39, hence the bound.
    each = 26 if connection.vendor == "postgresql" else 25
    assert counts[1:] == [each] * 4
    assert counts[0] <= 40


def test_bulk_articles_take_free_slugs_and_keep_the_tree_whole(ressorts, media, tmp_path):  # noqa: F811
    lokales = ressorts["lokales"]
    earlier = ArticlePageFactory(parent=lokales, slug="meldung-1")
    Redirect.objects.create(old_path="/meldung-2", redirect_page=earlier, is_permanent=True)
    path = export(tmp_path / "slugs.xml", item(1), item(2), item(3, slug="meldung-1"), item(4))
    out, _err, error = bulk_import(media, path)
    assert error is None and "Created 4" in out
    assert [article(n).slug for n in (1, 2, 3, 4)] == [
        "meldung-1-2",
        "meldung-2",
        "meldung-1-3",
        "meldung-4",
    ]
    assert Page.find_problems() == ([], [], [], [], [])
    assert Page.objects.get(pk=lokales.pk).numchild == 5
    assert [a.get_parent().pk for a in map(article, (1, 2, 3, 4))] == [lokales.pk] * 4
    moved = Redirect.objects.get(old_path="/meldung-2")
    assert moved.redirect_page_id == article(2).pk
    assert set(Redirect.objects.values_list("old_path", flat=True)) == {
        "/meldung-1",
        "/meldung-2",
        "/meldung-4",
    }
    assert article(4).url_path.endswith("/lokales/meldung-4/")
    # The revision was serialised from the authors and topics written with the page.
    revision = article(4).live_revision.as_object()
    assert (
        [a.author.name for a in revision.article_authors.all()]
        == [a.author.name for a in article(4).article_authors.all()]
        != []
    )
