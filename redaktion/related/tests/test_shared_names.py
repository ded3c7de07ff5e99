"""Shared names in "Mehr zum Thema": stored with each article, learned by the rebuild, and
part of every score, on publish and in the rebuild."""

import numpy as np
import pytest
from django.core.management import call_command

from redaktion.news.factories import RessortPageFactory
from redaktion.related import services
from redaktion.related.engine.names import split_names
from redaktion.related.engine.scoring import similarity, topic_overlap
from redaktion.related.engine.terms import Document
from redaktion.related.models import ArticleVector, CommonWord, Suggestion
from redaktion.related.services.articles import article_names

from .helpers import article

pytestmark = pytest.mark.django_db

STORY = [
    "Die Regierung berät über die Reform der Pensionen. Kanzler Werner Faymann verteidigt "
    "die Pläne in Wien, die Opposition kritisiert die Reform.",
    "Die Reform der Pensionen kommt ins Parlament. Dort wirbt Werner Faymann in Wien um "
    "Zustimmung, die Regierung rechnet mit einer Mehrheit für die Reform.",
    "Die Opposition lehnt die Reform der Pensionen ab. Im Parlament fehlt der Regierung "
    "eine Mehrheit, die Reform der Pensionen wird vertagt.",
]


@pytest.fixture
def story(home_page, run_tasks):
    ressort = RessortPageFactory(parent=home_page, title="Inland")
    with run_tasks():
        return [article(ressort, text, days_ago=3 - i) for i, text in enumerate(STORY)]


def _dot(a, b) -> float:
    """The cosine of two profiles (``SparseVector``, unit length)."""
    _, at_a, at_b = np.intersect1d(a.ids, b.ids, return_indices=True)
    return float(a.weights[at_a].astype(np.float64) @ b.weights[at_b])


def test_publishing_stores_the_names_and_scores_with_them(story):
    first, second, third = (ArticleVector.objects.get(pk=page.pk) for page in story)
    assert {"werner faymann", "faymann", "wien"} <= set(split_names(first.names))
    assert {"werner faymann", "faymann", "wien"} <= set(split_names(second.names))
    assert not {"faymann", "wien"} & set(split_names(third.names))
    pool, query_profile, scores = services.compute_list(services.indexed(second))
    by_pk = {item.pk: (item, score) for item, score in zip(pool, scores, strict=True)}
    for other in (first, third):
        item, score = by_pk[other.pk]
        content = _dot(query_profile, item.profile)
        shared = topic_overlap(split_names(second.names), item.names)
        assert score == pytest.approx(similarity(content, 0.0, True, shared), abs=1e-4)
    assert topic_overlap(split_names(second.names), split_names(first.names)) > 0.3
    assert topic_overlap(split_names(second.names), split_names(third.names)) == 0


def test_the_rebuild_learns_common_words_and_scores_with_names(story):
    call_command("redaktion_related", "rebuild", "--no-progress")
    common = dict(CommonWord.objects.values_list("word", "adjective"))
    assert {"regierung", "reform", "opposition"} <= set(common)
    assert not {"faymann", "wien", "werner"} & set(common)
    first, second, third = (ArticleVector.objects.get(pk=page.pk) for page in story)
    assert "werner faymann" in split_names(second.names)
    for other in (first, third):
        stored = Suggestion.objects.get(article_id=second.pk, suggested_id=other.pk).score
        shared = topic_overlap(split_names(second.names), split_names(other.names))
        content = _dot(services.indexed(second).profile, services.indexed(other).profile)
        expected = similarity(content, 0.0, True, shared)
        # The stored profiles are float16; the rebuild scored the float32 ones.
        assert stored == pytest.approx(expected, abs=0.003)


def test_one_article_reads_the_common_words_the_rebuild_learned():
    text = Document(body="Laut Pressesprecher Huber wird weiter verhandelt.", headline="Streit")
    assert {"pressesprecher", "huber"} <= set(article_names(text))
    CommonWord.objects.create(word="sprecher")
    found = article_names(text)
    assert "huber" in found
    assert "pressesprecher" not in found  # a compound of a common word
