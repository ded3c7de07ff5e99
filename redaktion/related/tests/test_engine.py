import numpy as np
import pytest

from redaktion.related import engine
from redaktion.related.evaluation import precision_and_ndcg

from .corpus import labelled


@pytest.fixture(scope="module")
def fitted():
    pairs = labelled()
    corpus = engine.fit(engine.Document(body=text) for _, text in pairs)
    return corpus, [label for label, _ in pairs]


def test_articles_on_the_same_topic_rank_above_unrelated_ones(fitted):
    corpus, labels = fitted
    indices, scores = corpus.nearest(3)
    for i, label in enumerate(labels):
        assert [labels[j] for j in indices[i]] == [label] * 3, (i, indices[i])
        assert list(scores[i]) == sorted(scores[i], reverse=True)


def test_an_article_is_never_its_own_neighbour(fitted):
    corpus, _ = fitted
    indices, _ = corpus.nearest(11)
    assert not (indices == np.arange(len(indices))[:, None]).any()


def test_headline_and_lead_weigh_more_than_the_body():
    body_only = engine.analyse(engine.Document(body="Zentralbank"))
    with_head = engine.analyse(engine.Document(body="Zentralbank", headline="Zentralbank"))
    assert with_head.counts[engine.STEMS]["zentralbank"] == 1 + engine.FIELD_BOOST
    assert body_only.counts[engine.STEMS]["zentralbank"] == 1


def test_vectors_are_cut_and_normalised():
    corpus = engine.fit(engine.Document(body=text) for _, text in labelled())
    per_row = np.diff(corpus.raw.indptr)
    assert per_row.max() <= engine.VECTOR_SIZE
    assert np.diff(corpus.profiles.indptr).max() <= engine.PROFILE_SIZE
    norms = np.sqrt(np.asarray(corpus.profiles.multiply(corpus.profiles).sum(axis=1)))
    assert np.allclose(norms, 1.0, atol=1e-5)


def test_sparse_vector_survives_storage():
    vector = engine.SparseVector.from_mapping({7: 0.6, 3: 0.8})
    back = engine.SparseVector.from_bytes(vector.to_bytes())
    assert list(back.ids) == [3, 7]
    assert np.allclose(back.weights, [0.8, 0.6], atol=1e-3)


def test_single_profile_matches_the_batch_expansion():
    corpus = engine.fit(engine.Document(body=text) for _, text in labelled())
    width = corpus.raw.shape[1]
    neighbours = [engine.row(corpus.raw, j) for j in (1, 2)]
    single = engine.profile(engine.row(corpus.raw, 0), neighbours, width)
    batch = engine.expand(corpus.raw, np.array([[1, 2]] + [[-1, -1]] * 11))
    expected = dict(zip(batch[0].indices.tolist(), batch[0].data.tolist(), strict=True))
    got = dict(zip(single.ids.tolist(), single.weights.tolist(), strict=True))
    assert got.keys() == expected.keys()
    assert np.allclose([got[k] for k in expected], list(expected.values()), atol=1e-6)


def test_similarity_and_recency():
    assert engine.similarity(1.0, 1.0, True) == pytest.approx(1.0)
    assert engine.similarity(0.4, 0.0, False) == pytest.approx(0.3)
    assert engine.recency_factor(300, 0.0) == 1.0
    assert engine.recency_factor(engine.HALF_LIFE_DAYS, 1.0) == pytest.approx(0.5)
    assert engine.recency_factor(-engine.HALF_LIFE_DAYS, 0.5) == pytest.approx(0.75)


def test_precision_and_ndcg():
    labels = ["a", "a", "b", "b"]
    neighbours = np.array([[1, 2], [2, 0], [0, 3], [-1, -1]])
    precision, ndcg = precision_and_ndcg(neighbours, labels, 2)
    assert precision == pytest.approx((0.5 + 0.5 + 0.5 + 0.0) / 4)
    # the ideal DCG is 1: each label has one other article
    assert ndcg == pytest.approx((1.0 + 2 / np.log2(3) + 0.0) / 4)
