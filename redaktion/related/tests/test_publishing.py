"""Publishing into an index of its own (no corpus around): the work waits for the commit, and
an article that shares only a topic with another still finds it."""

import pytest

from redaktion.core.models import OutboxEntry
from redaktion.news.factories import RessortPageFactory, TopicFactory
from redaktion.related import services
from redaktion.related.models import ArticleVector, TopicPosting

from .corpus import TEXTS
from .helpers import article, newsroom

pytestmark = pytest.mark.django_db


def test_nothing_happens_before_the_transaction_commits(
    home_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        newsroom(home_page)
    assert OutboxEntry.objects.filter(step="related.lists", state="pending").count() == 12
    assert not ArticleVector.objects.exists()


def test_topic_candidates_come_from_the_topic_postings(home_page, run_tasks):
    """An article that shares only a topic with another still gets it as a candidate, through
    the (topic, newest first) index, and the index forgets an unpublished article."""
    topic = TopicFactory(name="Hochwasser")
    ressort = RessortPageFactory(parent=home_page, title="Chronik")
    with run_tasks():
        older = article(ressort, TEXTS["klima"][0], days_ago=3, topics=[topic])
        newer = article(ressort, TEXTS["fussball"][0], days_ago=1, topics=[topic])
    assert set(TopicPosting.objects.values_list("article_id", "topic_id")) == {
        (older.pk, topic.pk),
        (newer.pk, topic.pk),
    }
    pool, _profile, scores = services.compute_list(
        services.indexed(ArticleVector.objects.get(pk=newer.pk))
    )
    assert [p.pk for p in pool] == [older.pk]
    assert scores[0] > 0
    with run_tasks():
        older.unpublish()
    assert not TopicPosting.objects.filter(article_id=older.pk).exists()
