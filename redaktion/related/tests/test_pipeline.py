"""The purge of a publish, edit or unpublish: exactly the keys of the event plus the pages
whose "Mehr zum Thema" the related step rewrote, handed on through the outbox."""

import pytest

from redaktion.core import surrogate
from redaktion.news import keys
from redaktion.news.events import ArticleEvent
from redaktion.news.factories import AuthorFactory, RessortPageFactory, TopicFactory
from redaktion.news.models import ArticlePage
from redaktion.news.publishing import article_facts
from redaktion.news.reconcile import reconcile
from redaktion.related import pipeline
from redaktion.related.models import ArticleVector, Suggestion

from .corpus import TEXTS
from .helpers import article

pytestmark = pytest.mark.django_db


@pytest.fixture
def purged(monkeypatch):
    calls = []
    monkeypatch.setattr(surrogate, "purge", lambda purge_keys: calls.append(set(purge_keys)))
    return calls


@pytest.fixture
def wissen(home_page):
    return RessortPageFactory(parent=home_page, title="Wissen")


def holders(article_id):
    return set(
        Suggestion.objects.filter(suggested_id=article_id).values_list("article_id", flat=True)
    )


def test_a_publish_purges_its_lists_and_the_pages_whose_list_took_it_in(wissen, run_tasks, purged):
    topic, author = TopicFactory(name="Hitze"), AuthorFactory(name="Ida Wetter")
    with run_tasks():
        older = [article(wissen, text, days_ago=3 - i) for i, text in enumerate(TEXTS["klima"][:2])]
    purged.clear()
    with run_tasks():
        new = article(wissen, TEXTS["klima"][2], topics=[topic], authors=[author])
    took_it_in = holders(new.pk)
    assert took_it_in == {page.pk for page in older}
    assert purged == [
        {
            keys.article(new.pk),
            keys.page(new.pk),
            *keys.PUBLISHED_SET,
            keys.ressort(wissen.pk),
            keys.topic(topic.pk),
            keys.author(author.pk),
            keys.archive(new.first_published_at),
            *(keys.page(pk) for pk in took_it_in),
        }
    ]


def test_a_correction_purges_the_article_wherever_it_shows(wissen, run_tasks, purged):
    with run_tasks():
        for text in TEXTS["klima"][:3]:
            corrected = article(wissen, text)
    purged.clear()
    page = ArticlePage.objects.get(pk=corrected.pk)
    page.updated_at = page.first_published_at
    page.correction_note = "Die Temperatur lag bei 38, nicht 40 Grad."
    with run_tasks():
        page.save_revision().publish()
    assert purged == [{keys.article(page.pk), keys.page(page.pk)}]


def test_unpublishing_purges_the_pages_whose_list_is_refilled(wissen, run_tasks, purged):
    with run_tasks():
        pages = [article(wissen, text) for text in TEXTS["klima"][:3]]
    gone = pages[0]
    listing = holders(gone.pk)
    assert listing
    purged.clear()
    with run_tasks():
        ArticlePage.objects.get(pk=gone.pk).unpublish()
    [keys_purged] = purged
    assert {keys.page(pk) for pk in listing} <= keys_purged
    assert keys.PUBLISHED_SET[0] in keys_purged


def test_the_step_reports_only_other_articles_whose_list_changed(wissen, run_tasks):
    with run_tasks():
        first = article(wissen, TEXTS["klima"][0])
        second = article(wissen, TEXTS["klima"][1])
    payload = ArticleEvent.between(second.pk, article_facts(second), None).as_json()
    assert pipeline.lists(payload) == {keys.page(first.pk)}
    assert pipeline.lists(payload) == set()


def test_reconciliation_recomputes_a_list_that_was_lost(wissen, run_tasks):
    with run_tasks():
        pages = [article(wissen, text) for text in TEXTS["klima"][:3]]
    ArticleVector.objects.filter(pk=pages[1].pk).delete()
    assert pipeline.derived_data_missing() == {pages[1].pk}
    with run_tasks():
        assert reconcile().repairs == 1
    assert pipeline.derived_data_missing() == set()
    assert Suggestion.objects.filter(article_id=pages[1].pk).exists()
