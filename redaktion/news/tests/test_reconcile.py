"""Reconciliation: missed events are recorded, derived data an app finds missing or stale
is repaired, articles with work still queued are left alone, and a second run finds
nothing."""

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from redaktion.core import outbox, tasks
from redaktion.core.models import OutboxEntry
from redaktion.news import reconcile
from redaktion.news.events import ArticleEvent, EventKind
from redaktion.news.factories import ArticlePageFactory, RessortPageFactory
from redaktion.news.models import VisibleArticle
from redaktion.news.publishing import article_facts, subject

pytestmark = pytest.mark.django_db


@pytest.fixture
def politik(home_page):
    return RessortPageFactory(parent=home_page, title="Politik")


@pytest.fixture
def checks(monkeypatch):
    """No app's check but the test's own."""
    registered = {}
    monkeypatch.setattr(reconcile, "_checks", registered)
    return registered


def pending_events():
    return [
        (payload["kind"], payload["article_id"], payload.get("repair"))
        for payload in OutboxEntry.objects.filter(step="news.purge", state="pending")
        .order_by("id")
        .values_list("payload", flat=True)
    ]


def test_a_missed_publication_and_a_missed_deletion_are_recorded(politik, run_tasks, checks):
    with run_tasks():
        article = ArticlePageFactory(parent=politik)
    VisibleArticle.objects.filter(article_id=article.pk).delete()  # its signal was missed
    facts = article_facts(article)
    VisibleArticle.objects.create(article_id=987654, facts=facts.as_json())  # gone unnoticed
    report = reconcile.reconcile()
    assert (report.events, report.repairs) == (2, 0)
    assert pending_events() == [
        (EventKind.VISIBLE, article.pk, None),
        (EventKind.HIDDEN, 987654, None),
    ]
    assert set(VisibleArticle.objects.values_list("article_id", flat=True)) == {article.pk}


def test_an_apps_missing_data_is_repaired_once(politik, run_tasks, checks):
    with run_tasks():
        article = ArticlePageFactory(parent=politik)
    repaired = []
    checks["index"] = lambda: set() if repaired else {article.pk}
    report = reconcile.reconcile()
    assert (report.events, report.repairs) == (0, 1)
    [(kind, article_id, names)] = pending_events()
    assert (kind, article_id, names) == (EventKind.CHANGED, article.pk, ["index"])
    payload = OutboxEntry.objects.get(step="news.purge", state="pending").payload
    assert ArticleEvent.from_json(payload).purge_keys() == {
        f"article-{article.pk}",
        f"page-{article.pk}",
    }
    # Its work is queued: a second run leaves the article alone.
    assert reconcile.reconcile().repairs == 0
    with run_tasks():
        pass
    repaired.append(True)
    assert (reconcile.reconcile().events, reconcile.reconcile().repairs) == (0, 0)


def test_the_desks_publish_goes_ahead_of_a_reconciliation_backlog(
    politik, run_tasks, checks, django_capture_on_commit_callbacks
):
    with run_tasks():
        missed = ArticlePageFactory.create_batch(3, parent=politik)
    VisibleArticle.objects.all().delete()  # three signals were missed
    drains = []
    with mock.patch.object(outbox, "outbox_drain", side_effect=lambda **kw: drains.append(kw)):
        with django_capture_on_commit_callbacks(execute=True):
            assert reconcile.reconcile().events == 3
        assert drains == [{"limit": tasks.BACKLOG_BATCH}]  # one nudge for all of them
        drains.clear()
        with django_capture_on_commit_callbacks(execute=True):
            article = ArticlePageFactory(parent=politik)
    assert drains == [{"subjects": [subject(article.pk)]}]
    # Drained as the desk's nudge drains it: its purge ran, the backlog still waits.
    with django_capture_on_commit_callbacks(execute=True):
        outbox.outbox_drain(subjects=[subject(article.pk)])
    assert not OutboxEntry.objects.filter(subject=subject(article.pk), state="pending").exists()
    assert {event[1] for event in pending_events()} == {a.pk for a in missed}


def test_the_scheduler_reconciles_at_start_and_then_every_ten_minutes(checks, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(reconcile.time, "monotonic", lambda: clock[0])
    schedule = reconcile.Schedule()
    with translation.override("en"):
        assert schedule() == "Reconciliation: 0 missed events, 0 repairs"
    clock[0] += reconcile.INTERVAL - 1
    assert schedule() is None
    clock[0] += 1
    assert schedule() is not None


def test_stale_means_older_than_the_last_publication(politik, run_tasks):
    with run_tasks():
        fresh = ArticlePageFactory(parent=politik)
        stale = ArticlePageFactory(parent=politik)
    hidden = ArticlePageFactory(parent=politik, publish=False, live=False)
    written = {
        fresh.pk: timezone.now(),
        stale.pk: stale.last_published_at - timedelta(seconds=1),
        hidden.pk: timezone.now(),
    }
    missing = ArticlePageFactory(parent=politik)
    assert reconcile.stale_or_left_over(written) == {stale.pk, hidden.pk, missing.pk}


def test_the_pipeline_command_reports_drains_retries_and_reconciles(politik, checks):
    """The command speaks the site's language; read here in English."""
    ArticlePageFactory(parent=politik)
    out = StringIO()
    with translation.override("en"):
        call_command("redaktion_pipeline", "status", stdout=out)
        assert "Backlog: 6" in out.getvalue()  # the Ressort (2 steps) and the article (4)
        assert "Failed: 0" in out.getvalue()
        call_command("redaktion_pipeline", "drain", stdout=out)
        assert "Outbox: 6 done, 0 to retry, 0 failed" in out.getvalue()
        call_command("redaktion_pipeline", "reconcile", stdout=out)
        assert "Reconciliation: 0 missed events, 0 repairs" in out.getvalue()
        with pytest.raises(CommandError, match="No entry has failed"):
            call_command("redaktion_pipeline", "retry")
        OutboxEntry.objects.filter(step="news.purge").update(state="failed", last_error="Boom")
        call_command("redaktion_pipeline", "status", stdout=out)
        assert "Last error: Boom" in out.getvalue()
        call_command("redaktion_pipeline", "retry", stdout=out)
        assert "1 entries will be retried." in out.getvalue()
