"""Publishing, editing, unpublishing and deleting keep the lists fresh, through the pipeline.

The corpus is published once for the module (``corpus`` in conftest.py); each test reads
its pages afresh and its writes are rolled back after it."""

from dataclasses import replace

import pytest
from django.core.management import call_command
from wagtail.rich_text import RichText

from redaktion.news.events import ArticleEvent
from redaktion.news.publishing import article_facts
from redaktion.related import pipeline
from redaktion.related.models import ArticleVector, Posting, Suggestion, Term
from redaktion.related.selectors import related_for

from .corpus import TEXTS
from .helpers import labels_of

pytestmark = pytest.mark.django_db


def test_publishing_gives_the_article_a_list_of_its_own_topic(articles):
    newest = articles["klima"][-1]
    shown = related_for(newest, limit=3)
    assert labels_of(shown, articles) == ["klima"] * 3
    assert Posting.objects.filter(article_id=newest.pk).exists()


def test_older_articles_learn_about_newer_ones(articles):
    first = articles["wirtschaft"][0]
    stored = set(
        Suggestion.objects.filter(article_id=first.pk).values_list("suggested_id", flat=True)
    )
    assert {page.pk for page in articles["wirtschaft"][1:]} <= stored
    assert labels_of(related_for(first, limit=3), articles) == ["wirtschaft"] * 3


def test_unpublishing_removes_the_article_and_refills_the_lists(articles, run_tasks):
    gone = articles["fussball"][0]
    holders = set(
        Suggestion.objects.filter(suggested_id=gone.pk).values_list("article_id", flat=True)
    )
    assert holders
    with run_tasks():
        gone.unpublish()
    assert not ArticleVector.objects.filter(pk=gone.pk).exists()
    assert not Suggestion.objects.filter(suggested_id=gone.pk).exists()
    assert not Suggestion.objects.filter(article_id=gone.pk).exists()
    for _label, group in articles.items():
        for page in group:
            if page.pk != gone.pk:
                assert gone not in related_for(page, limit=11)


def test_editing_and_republishing_moves_the_article(articles, run_tasks):
    moved = articles["fussball"][0]
    moved.body = [("paragraph", RichText(f"<p>{TEXTS['klima'][0]}</p>"))]
    moved.title = moved.lead = TEXTS["klima"][1].split(". ")[0]
    with run_tasks():
        moved.save_revision().publish()
    assert labels_of(related_for(moved, limit=2), articles) == ["klima", "klima"]
    klima_lists = Suggestion.objects.filter(
        article_id__in=[page.pk for page in articles["klima"]], suggested_id=moved.pk
    )
    assert klima_lists.count() == len(articles["klima"])


def test_deleting_refills_the_lists_that_held_the_article(articles, run_tasks):
    gone = articles["klima"][0]
    holder = articles["klima"][1]
    before = Suggestion.objects.filter(article_id=holder.pk).count()
    with run_tasks():
        gone.delete()
    assert not Suggestion.objects.filter(suggested_id=gone.pk).exists()
    assert Suggestion.objects.filter(article_id=holder.pk).count() == before - 1 or before < 11


def test_the_step_is_idempotent(articles):
    page = articles["wirtschaft"][2]

    def state():
        return (
            sorted(Suggestion.objects.values_list("article_id", "suggested_id", "score")),
            sorted(Term.objects.values_list("text", "df")),
            sorted(Posting.objects.values_list("article_id", "term_id", "weight")),
        )

    facts = article_facts(page)
    edited = replace(facts, revision_id=0)
    payload = ArticleEvent.between(page.pk, edited, facts).as_json()
    pipeline.lists(payload)
    once = state()
    assert pipeline.lists(payload) == set()
    assert state() == once


def test_rebuild_recomputes_every_list(articles):
    Suggestion.objects.all().delete()
    ArticleVector.objects.all().delete()
    call_command("redaktion_related", "rebuild", "--no-progress")
    assert ArticleVector.objects.count() == 12
    for label, group in articles.items():
        for page in group:
            assert labels_of(related_for(page, limit=3), articles) == [label] * 3
