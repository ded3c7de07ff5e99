"""Wagtail's signals become article events in the outbox, in the change's own transaction:
publish, edit, new Ressort or topics, unpublish, move, delete, view restrictions and the
scheduled go-live. The apps' steps are not run here (their tests feed them events)."""

from datetime import timedelta
from importlib import import_module

import pytest
import time_machine
from django.apps import apps as django_apps
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from redaktion.core.models import OutboxEntry
from redaktion.desk.services import schedule_run
from redaktion.news.events import ArticleEvent, EventKind
from redaktion.news.factories import (
    ArticlePageFactory,
    AuthorFactory,
    RessortPageFactory,
    TopicFactory,
)
from redaktion.news.models import ArticlePage, VisibleArticle
from redaktion.news.publishing import article_facts, articles_sync, recorded_facts

pytestmark = pytest.mark.django_db

STEPS = ["search.entry", "related.lists", "notifications.announce", "news.purge"]


@pytest.fixture
def politik(home_page):
    return RessortPageFactory(parent=home_page, title="Politik")


@pytest.fixture
def topics():
    return [TopicFactory(name="Wahlen"), TopicFactory(name="Bundestag")]


def events() -> list[ArticleEvent]:
    """The article events recorded so far, in order (one per event: its purge entry)."""
    return [
        ArticleEvent.from_json(payload)
        for payload in OutboxEntry.objects.filter(step="news.purge")
        .order_by("id")
        .values_list("payload", flat=True)
    ]


def latest(page) -> ArticlePage:
    return ArticlePage.objects.get(pk=page.pk)


def test_publishing_records_one_visible_event_with_every_step(politik, topics):
    author = AuthorFactory(name="Erika Mustermann")
    article = ArticlePageFactory(parent=politik, title="Wahl", topics=topics, authors=[author])
    [event] = events()
    assert event.kind == EventKind.VISIBLE
    assert event.after == article_facts(article)
    assert event.after.ressort_id == politik.pk
    assert event.after.topic_ids == tuple(sorted(t.pk for t in topics))
    assert event.after.author_ids == (author.pk,)
    entries = OutboxEntry.objects.filter(subject=f"article-{article.pk}").order_by("stage", "step")
    assert sorted(entries.values_list("step", flat=True)) == sorted(STEPS)
    assert [e.stage for e in entries] == [10, 10, 20, 30]
    assert len({e.event for e in entries}) == 1
    assert recorded_facts([article.pk]) == {article.pk: event.after}


def test_nothing_is_recorded_when_the_publish_rolls_back(politik):
    with pytest.raises(RuntimeError), transaction.atomic():
        ArticlePageFactory(parent=politik)
        raise RuntimeError
    assert not OutboxEntry.objects.filter(topic="article").exists()
    assert not VisibleArticle.objects.exists()


def test_an_edited_headline_is_a_change_of_title_and_revision(politik):
    article = ArticlePageFactory(parent=politik, title="Wahl")
    article.title = "Wahl verschoben"
    article.save_revision().publish()
    [_, event] = events()
    assert event.kind == EventKind.CHANGED
    assert event.changes == {"title", "revision_id"}
    assert event.purge_keys() == {
        f"article-{article.pk}",
        f"page-{article.pk}",
        "sitemap",  # the news sitemap shows headlines
        "search",  # so do the search suggestions
    }


def test_new_topics_and_a_new_ressort_are_changes(politik, home_page, topics):
    article = ArticlePageFactory(parent=politik, topics=topics[:1])
    page = latest(article)
    page.topics.set([topics[1]])
    page.save_revision().publish()
    wirtschaft = RessortPageFactory(parent=home_page, title="Wirtschaft")
    latest(article).move(wirtschaft, pos="last-child")
    [_, retagged, moved] = events()
    assert retagged.changes == {"topic_ids", "revision_id"}
    assert {f"topic-{topics[0].pk}", f"topic-{topics[1].pk}"} <= retagged.purge_keys()
    assert moved.changes == {"ressort_id", "url_path"}
    assert {f"ressort-{politik.pk}", f"ressort-{wirtschaft.pk}"} <= moved.purge_keys()


def test_unpublish_and_delete_hide_the_article(politik):
    first = ArticlePageFactory(parent=politik)
    second = ArticlePageFactory(parent=politik)
    latest(first).unpublish()
    Page.objects.get(pk=second.pk).delete()
    kinds = [(e.kind, e.article_id) for e in events()]
    assert kinds[2:] == [(EventKind.HIDDEN, first.pk), (EventKind.HIDDEN, second.pk)]
    assert not VisibleArticle.objects.exists()
    # Deleting the unpublished article records nothing: readers saw nothing go.
    Page.objects.get(pk=first.pk).delete()
    assert len(events()) == 4


def test_a_restriction_hides_and_its_removal_shows_again(politik):
    article = ArticlePageFactory(parent=politik)
    restriction = PageViewRestriction.objects.create(
        page=latest(article), restriction_type=PageViewRestriction.LOGIN
    )
    restriction.delete()
    assert [e.kind for e in events()] == [EventKind.VISIBLE, EventKind.HIDDEN, EventKind.VISIBLE]


def test_a_restricted_ressort_hides_its_articles_through_one_pages_event(politik, run_tasks):
    articles = [ArticlePageFactory(parent=politik) for _ in range(3)]
    OutboxEntry.objects.filter(topic="pages").delete()  # the Ressort's own publication
    with run_tasks():
        PageViewRestriction.objects.create(
            page=Page.objects.get(pk=politik.pk), restriction_type=PageViewRestriction.LOGIN
        )
    assert OutboxEntry.objects.filter(topic="pages", subject=f"page-{politik.pk}").count() == 2
    hidden = [e.article_id for e in events() if e.kind == EventKind.HIDDEN]
    assert sorted(hidden) == sorted(a.pk for a in articles)


def test_deleting_a_ressort_hides_each_of_its_articles(politik, home_page):
    articles = [ArticlePageFactory(parent=politik) for _ in range(2)]
    Page.objects.get(pk=politik.pk).delete()
    hidden = sorted(e.article_id for e in events() if e.kind == EventKind.HIDDEN)
    assert hidden == sorted(a.pk for a in articles)
    assert not VisibleArticle.objects.exists()


def test_a_scheduled_go_live_is_recorded_when_the_scheduler_publishes(politik):
    article = ArticlePageFactory(parent=politik, publish=False, live=False)
    go_live = timezone.now() + timedelta(hours=2)
    article.go_live_at = go_live
    article.save_revision().publish()
    assert events() == []  # only scheduled: readers see nothing yet
    with time_machine.travel(go_live + timedelta(seconds=1)):
        schedule_run()
    [event] = events()
    assert (event.kind, event.article_id) == (EventKind.VISIBLE, article.pk)


def test_a_scheduled_revision_of_a_live_article_changes_nothing_until_it_goes_live(politik):
    article = ArticlePageFactory(parent=politik, title="Vorher")
    page = latest(article)
    page.title = "Nachher"
    page.go_live_at = timezone.now() + timedelta(hours=1)
    page.save_revision().publish()
    assert len(events()) == 1


def test_first_publication_in_the_future_is_not_visible_yet(politik):
    article = ArticlePageFactory(
        parent=politik, first_published_at=timezone.now() + timedelta(days=1)
    )
    assert events() == []
    assert not ArticlePage.objects.published().filter(pk=article.pk).exists()
    with time_machine.travel(timezone.now() + timedelta(days=1, seconds=1)):
        [event] = articles_sync([article.pk])
    assert event.kind == EventKind.VISIBLE


def test_syncing_again_records_nothing(politik):
    article = ArticlePageFactory(parent=politik)
    assert articles_sync([article.pk]) == []
    assert len(events()) == 1


def test_the_migration_records_the_articles_readers_see_today(politik, topics):
    seed = import_module("redaktion.news.migrations.0004_visiblearticle").seed
    shown = ArticlePageFactory(parent=politik, publish=False, topics=topics)
    ArticlePageFactory(parent=politik, publish=False, live=False)
    restricted = ArticlePageFactory(parent=politik, publish=False)
    PageViewRestriction.objects.create(
        page=Page.objects.get(pk=restricted.pk), restriction_type=PageViewRestriction.LOGIN
    )
    VisibleArticle.objects.all().delete()
    seed(django_apps, None)
    assert recorded_facts() == {shown.pk: article_facts(shown)}
