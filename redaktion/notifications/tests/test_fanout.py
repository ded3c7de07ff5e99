"""Fan-out on first publication: one delivery per follower, set-based, never twice."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Site

from redaktion.news.factories import ArticlePageFactory
from redaktion.news.models import ArticlePage
from redaktion.notifications import selectors, services
from redaktion.notifications.models import Announcement, Delivery

from .helpers import subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def followers(newsroom):
    return {
        "topic": subscriber("topic@example.org", newsroom["syrien"]),
        "both": subscriber("both@example.org", newsroom["syrien"], newsroom["berger"]),
        "ressort": subscriber("ressort@example.org", newsroom["ressort"]),
        "digest": subscriber("digest@example.org", newsroom["berger"], rhythm="daily"),
        "paused": subscriber("paused@example.org", newsroom["syrien"], status="paused"),
        "other": subscriber("other@example.org", newsroom["nato"], newsroom["other_ressort"]),
    }


def test_first_publication_creates_one_delivery_per_follower(followers, publish, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    article = publish(title="Erste Meldung")
    rows = Delivery.objects.filter(article_id=article.pk)
    assert sorted(rows.values_list("subscriber__email", flat=True)) == [
        "both@example.org",
        "digest@example.org",
        "ressort@example.org",
        "topic@example.org",
    ]
    assert rows.get(subscriber=followers["digest"]).digest is True
    assert not rows.filter(subscriber=followers["topic"]).get().digest
    assert rows.filter(status="sent").count() == 3  # the digest waits for its hour


def test_edits_and_republishing_notify_no_one_again(followers, publish, run_tasks, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    article = publish(title="Erste Fassung")
    before = Delivery.objects.count()
    with run_tasks():
        article.title = "Korrigierte Fassung"
        article.save_revision().publish()
        article.unpublish()
        ArticlePage.objects.get(pk=article.pk).save_revision().publish()
    assert Delivery.objects.count() == before
    assert services.notification_announce(article_id=article.pk) == 0


def test_a_scheduled_revision_is_not_a_publication(followers, newsroom, run_tasks):
    with run_tasks():
        article = ArticlePageFactory(parent=newsroom["ressort"], topics=[newsroom["syrien"]])
        article.unpublish()
        article = ArticlePage.objects.get(pk=article.pk)
        article.go_live_at = timezone.now() + timedelta(hours=2)
        article.save_revision().publish()
    assert not ArticlePage.objects.get(pk=article.pk).live
    assert not Delivery.objects.filter(article_id=article.pk).exists()


def test_fan_out_is_one_insert_and_a_repeat_adds_nothing(followers, newsroom):
    article = ArticlePageFactory(
        parent=newsroom["ressort"], topics=[newsroom["syrien"]], authors=[], publish=False
    )
    with CaptureQueriesContext(connection) as queries:
        created = services.notification_fan_out(article=article, reason="new")
    inserts = [q["sql"] for q in queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1 and "ON CONFLICT DO NOTHING" in inserts[0]
    assert created == 3
    assert services.notification_fan_out(article=article, reason="new") == 0
    assert Delivery.objects.count() == 3


def test_breaking_resend_reaches_everyone_at_once_once(followers, newsroom):
    article = ArticlePageFactory(
        parent=newsroom["ressort"],
        topics=[newsroom["syrien"]],
        authors=[newsroom["berger"]],
        publish=False,
    )
    assert services.notification_breaking(article_id=article.pk) == 4
    breaking = Delivery.objects.filter(reason="breaking")
    assert not breaking.filter(digest=True).exists()
    assert services.notification_breaking(article_id=article.pk) == 0
    assert Announcement.objects.get(article_id=article.pk).breaking_at is not None


def test_breaking_resend_needs_a_live_article(newsroom):
    draft = ArticlePageFactory(parent=newsroom["ressort"], publish=False, live=False)
    with pytest.raises(services.NotificationError):
        services.notification_breaking(article_id=draft.pk)
    assert not Delivery.objects.exists()


def test_selector_query_counts(followers, newsroom, django_assert_num_queries):
    article = ArticlePageFactory(
        parent=newsroom["ressort"],
        topics=[newsroom["syrien"], newsroom["nato"]],
        authors=[newsroom["berger"], newsroom["keller"]],
        publish=False,
    )
    # The counts are those of a running site, where Wagtail has cached the site root paths.
    Site.get_site_root_paths()
    with django_assert_num_queries(3):
        targets = selectors.article_targets(article)
    with django_assert_num_queries(1):
        assert len(list(selectors.followers(targets))) == 5
    with django_assert_num_queries(3):  # follows, then one query per kind present
        items = selectors.subscriber_follows(followers["other"])
    assert [item.name for item in items] == ["Sport", "Nato"]
    with django_assert_num_queries(3):
        data = selectors.subscriber_data(followers["topic"])
    assert data["follows"][0]["name"] == "Syrien"
    with django_assert_num_queries(1):
        selectors.due_digest_subscribers(article.first_published_at, limit=100)
