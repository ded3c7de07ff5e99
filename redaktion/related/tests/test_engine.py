import os
import signal
import subprocess
import sys
import threading
import tracemalloc

import numpy as np
import pytest
import scipy.sparse as sp

from redaktion.related.engine.chunks import fork_pool
from redaktion.related.engine.corpus import fit
from redaktion.related.engine.profiles import NEIGHBOURHOOD, PROFILE_SIZE, expand, profile
from redaktion.related.engine.scoring import (
    CONTENT_SHARE,
    HALF_LIFE_DAYS,
    NAME_SHARE,
    recency_factor,
    similarity,
)
from redaktion.related.engine.search import nearest, nearest_by_postings
from redaktion.related.engine.terms import (
    FIELD_BOOST,
    STEMS,
    VECTOR_SIZE,
    Document,
    analyse,
)
from redaktion.related.engine.vectors import (
    SparseVector,
    normalise_rows,
    row_vector,
    top_terms,
)
from redaktion.related.evaluation import precision_and_ndcg

from .corpus import labelled


@pytest.fixture(scope="module")
def fitted():
    pairs = labelled()
    corpus = fit(Document(body=text) for _, text in pairs)
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
    body_only = analyse(Document(body="Zentralbank"))
    with_head = analyse(Document(body="Zentralbank", headline="Zentralbank"))
    assert with_head.counts[STEMS]["zentralbank"] == 1 + FIELD_BOOST
    assert body_only.counts[STEMS]["zentralbank"] == 1


def test_vectors_are_cut_and_normalised():
    corpus = fit(Document(body=text) for _, text in labelled())
    per_row = np.diff(corpus.raw.indptr)
    assert per_row.max() <= VECTOR_SIZE
    assert np.diff(corpus.profiles.indptr).max() <= PROFILE_SIZE
    norms = np.sqrt(np.asarray(corpus.profiles.multiply(corpus.profiles).sum(axis=1)))
    assert np.allclose(norms, 1.0, atol=1e-5)


def test_sparse_vector_survives_storage():
    vector = SparseVector.from_mapping({7: 0.6, 3: 0.8})
    back = SparseVector.from_bytes(vector.to_bytes())
    assert list(back.ids) == [3, 7]
    assert np.allclose(back.weights, [0.8, 0.6], atol=1e-3)


def test_single_profile_matches_the_batch_expansion():
    corpus = fit(Document(body=text) for _, text in labelled())
    width = corpus.raw.shape[1]
    neighbours = [row_vector(corpus.raw, j) for j in (1, 2)]
    single = profile(row_vector(corpus.raw, 0), neighbours, width)
    batch = expand(corpus.raw, np.array([[1, 2]] + [[-1, -1]] * 11))
    expected = dict(zip(batch[0].indices.tolist(), batch[0].data.tolist(), strict=True))
    got = dict(zip(single.ids.tolist(), single.weights.tolist(), strict=True))
    assert got.keys() == expected.keys()
    assert np.allclose([got[k] for k in expected], list(expected.values()), atol=1e-6)


def test_similarity_and_recency():
    assert similarity(1.0, 1.0, True, 1.0) == pytest.approx(1.0)
    assert similarity(0.4, 0.0, False) == pytest.approx(0.4 * CONTENT_SHARE)
    # Shared names lift an article over one with the same content that shares none.
    assert similarity(0.4, 0.0, False, 0.5) == pytest.approx(0.4 * CONTENT_SHARE + 0.5 * NAME_SHARE)
    # A different name share moves weight between names and content, not the total.
    assert similarity(1.0, 0.0, False, 1.0, name_share=0.2) == pytest.approx(0.75)
    assert similarity(1.0, 0.0, False, 0.0, name_share=0.2) == pytest.approx(0.55)
    assert recency_factor(300, 0.0) == 1.0
    assert recency_factor(HALF_LIFE_DAYS, 1.0) == pytest.approx(0.5)
    assert recency_factor(-HALF_LIFE_DAYS, 0.5) == pytest.approx(0.75)


def test_precision_and_ndcg():
    labels = ["a", "a", "b", "b"]
    neighbours = np.array([[1, 2], [2, 0], [0, 3], [-1, -1]])
    precision, ndcg = precision_and_ndcg(neighbours, labels, 2)
    assert precision == pytest.approx((0.5 + 0.5 + 0.5 + 0.0) / 4)
    # the ideal DCG is 1: each label has one other article
    assert ndcg == pytest.approx((1.0 + 2 / np.log2(3) + 0.0) / 4)


def _random_corpus(rows=300, width=2000, per_row=40, topics=15, seed=3):
    """Normalised rows drawn around ``topics`` term sets, so that rows have real neighbours."""
    rng = np.random.default_rng(seed)
    topic_terms = [rng.choice(width, 120, replace=False) for _ in range(topics)]
    indptr, indices, data = [0], [], []
    for r in range(rows):
        own = rng.choice(topic_terms[r % topics], per_row // 2, replace=False)
        terms = np.union1d(own, rng.choice(width, per_row // 2, replace=False))
        indices.append(terms)
        data.append(rng.random(len(terms)).astype(np.float32) + 0.01)
        indptr.append(indptr[-1] + len(terms))
    matrix = sp.csr_matrix(
        (np.concatenate(data), np.concatenate(indices), indptr), shape=(rows, width)
    )
    return normalise_rows(matrix)


def test_the_search_in_worker_processes_matches_the_search_in_one():
    matrix = _random_corpus()
    one = nearest_by_postings(matrix, 10, chunk=10_000)
    forked = nearest_by_postings(matrix, 10, workers=2, chunk=7)
    assert (one[0] == forked[0]).all()
    assert (one[1] == forked[1]).all()
    exact, _ = nearest(matrix, matrix, 10)
    found = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(one[0], exact, strict=True)])
    assert found > 0.95


def test_expansion_in_worker_processes_matches_the_expansion_in_one():
    matrix = _random_corpus()
    neighbours, _ = nearest(matrix, matrix, NEIGHBOURHOOD)
    one = expand(matrix, neighbours, chunk=10_000)
    forked = expand(matrix, neighbours, chunk=7, workers=2)
    assert (one.indptr == forked.indptr).all()
    assert (one.indices == forked.indices).all()
    assert (one.data == forked.data).all()


def in_a_process_of_one_thread(check) -> None:
    """Run ``check`` (a function of this module) in a new interpreter, which runs no thread
    but its main one: the test process may run others (a live server, coverage, the
    Playwright driver), and there ``fork_pool`` rightly does not fork."""
    script = f"from {__name__} import {check.__name__} as check; check()"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def test_a_process_with_other_threads_does_not_fork():
    """A forked child inherits the locks other threads hold at that moment, never their
    release: with a thread running, the work stays in this process; with none, it forks."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        with fork_pool(2) as pool:
            assert pool is None
    finally:
        stop.set()
        other.join()
    in_a_process_of_one_thread(forks_alone)


def forks_alone():
    assert threading.active_count() == 1
    with fork_pool(2) as pool:
        assert pool.apply(os.getpid) != os.getpid()


def test_the_pools_children_end_on_sigterm_whatever_the_parent_does_with_it():
    """``redaktion worker`` handles SIGTERM itself (it stops after the task at hand); a child
    that inherited that handler would outlive ``Pool.terminate``, which waits for it."""
    in_a_process_of_one_thread(children_take_the_default_sigterm)


def children_take_the_default_sigterm():
    signal.signal(signal.SIGTERM, lambda signum, frame: None)
    with fork_pool(2) as pool:
        assert pool is not None
        assert pool.apply(signal.getsignal, (signal.SIGTERM,)) == signal.SIG_DFL
    # Given up half-way (the consumer stopped): terminated, and done with.
    try:
        with fork_pool(2) as pool:
            pool.apply(os.getpid)
            raise KeyError("stop")
    except KeyError:
        pass
    else:
        raise AssertionError("the KeyError was swallowed")


def test_expanding_a_few_rows_does_not_copy_the_corpus():
    """A chunk reads only its rows' neighbours: converting the whole corpus to the product's
    float64 once per chunk was most of a rebuild's memory (and time)."""
    matrix = _random_corpus(rows=20_000, per_row=100)
    neighbours, _ = nearest(matrix[:10], matrix, NEIGHBOURHOOD)
    tracemalloc.start()
    try:
        profiles = expand(matrix, neighbours)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert profiles.shape == (10, matrix.shape[1])
    assert peak < matrix.data.nbytes / 4


def test_counting_in_chunks_gives_the_same_vectors(monkeypatch):
    documents = [Document(body=text) for _, text in labelled()]
    whole = fit(documents)
    monkeypatch.setattr("redaktion.related.engine.corpus.CORPUS_CHUNK", 5)
    chunked = fit(documents)
    assert whole.terms == chunked.terms
    assert (whole.raw != chunked.raw).nnz == 0
    assert (whole.neighbour_ids == chunked.neighbour_ids).all()


def test_top_terms_keeps_the_heaviest_and_the_first_of_equals():
    matrix = sp.csr_matrix(
        np.array([[0.1, 0.5, 0.5, 0.5, 0.2], [0.3, 0.0, 0.0, 0.0, 0.4]], dtype=np.float32)
    )
    top = top_terms(matrix, 2)
    assert top.indptr.tolist() == [0, 2, 4]
    assert top.indices.tolist() == [1, 2, 0, 4]
