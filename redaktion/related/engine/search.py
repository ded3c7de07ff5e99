"""Neighbour search: the rows of a matrix nearest to each row by dot product (cosine of
normalised rows), exactly (all pairs, ``nearest``) up to ``EXACT_LIMIT`` rows, above that
through an inverted index of each row's heaviest terms (``nearest_by_postings``), which is
linear in the number of rows and is what the publish task does for one article."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .chunks import map_chunks
from .vectors import top_terms

# Neighbour search of a whole corpus: exact up to EXACT_LIMIT articles, above that through
# an inverted index of each profile's heaviest terms (``nearest_by_postings``).
EXACT_LIMIT = 10_000
SEARCH_QUERY_TERMS = 64
SEARCH_POSTING_TERMS = 64
SEARCH_POSTINGS_PER_TERM = 1000
SEARCH_CANDIDATES = 2  # candidates re-scored per neighbour wanted
RESCORE_SLICE = 2000  # candidate pairs re-scored at a time


def nearest(
    queries: sp.csr_matrix,
    targets: sp.csr_matrix,
    k: int,
    *,
    exclude_self: bool = True,
    budget: int = 40_000_000,
) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` targets with the highest dot product per query row, best first.

    Returns (indices, scores), ``-1`` where fewer than ``k`` targets have a positive score.
    Rows are processed in chunks so that the dense score block stays within ``budget``
    cells (160 MB of float32) whatever the corpus size.
    """
    n_queries, n_targets = queries.shape[0], targets.shape[0]
    k_eff = min(k, max(n_targets - (1 if exclude_self else 0), 0))
    indices = np.full((n_queries, k), -1, dtype=np.int64)
    scores = np.zeros((n_queries, k), dtype=np.float32)
    if k_eff == 0:
        return indices, scores
    targets_t = targets.T.tocsr()
    chunk = max(1, budget // max(n_targets, 1))
    for start in range(0, n_queries, chunk):
        stop = min(start + chunk, n_queries)
        block = (queries[start:stop] @ targets_t).toarray()
        if exclude_self:
            local = np.arange(stop - start)
            block[local, local + start] = -np.inf
        top = np.argpartition(-block, k_eff - 1, axis=1)[:, :k_eff]
        top_scores = np.take_along_axis(block, top, axis=1)
        order = np.argsort(-top_scores, axis=1, kind="stable")
        top = np.take_along_axis(top, order, axis=1)
        top_scores = np.take_along_axis(top_scores, order, axis=1)
        positive = top_scores > 0
        indices[start:stop, :k_eff] = np.where(positive, top, -1)
        scores[start:stop, :k_eff] = np.where(positive, top_scores, 0)
    return indices, scores


def nearest_by_postings(
    matrix: sp.csr_matrix,
    k: int,
    *,
    query_terms: int = SEARCH_QUERY_TERMS,
    posting_terms: int = SEARCH_POSTING_TERMS,
    postings_per_term: int = SEARCH_POSTINGS_PER_TERM,
    candidates: int | None = None,
    rescore: bool = True,
    workers: int = 1,
    chunk: int = 250,
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``k`` nearest other rows of ``matrix`` (cosine of normalised rows), found
    the way the publish task finds them, in matrix form (same result layout as ``nearest``):

    1. an inverted index of each row's ``posting_terms`` heaviest terms, each term's list cut
       to its ``postings_per_term`` heaviest entries (so no term costs more than that);
    2. per row, its ``query_terms`` heaviest terms against that index: the ``candidates``
       (default ``SEARCH_CANDIDATES`` × ``k``) rows with the highest partial dot product;
    3. the exact cosine with each candidate; the best ``k`` are kept (with
       ``rescore=False``, the best ``k`` by the partial product, which is cheaper).

    Linear in the number of rows where ``nearest`` is quadratic; it misses a neighbour
    only when that neighbour shares none of the other's heavy terms in a heavy posting.
    ``workers`` > 1 splits the rows over that many forked processes.
    """
    n = matrix.shape[0]
    queries = top_terms(matrix, query_terms)
    heaviest = queries if posting_terms == query_terms else top_terms(matrix, posting_terms)
    postings = top_terms(heaviest.T.tocsr(), postings_per_term)
    del heaviest
    state = _SearchState(
        matrix=matrix,
        queries=queries,
        postings_t=postings,
        k=k,
        candidates=candidates or SEARCH_CANDIDATES * k,
        rescore=rescore,
    )
    indices = np.full((n, k), -1, dtype=np.int64)
    scores = np.zeros((n, k), dtype=np.float32)
    for start, (found, found_scores) in zip(
        range(0, n, chunk), map_chunks(state.search, n, chunk, workers), strict=True
    ):
        indices[start : start + len(found)] = found
        scores[start : start + len(found)] = found_scores
    return indices, scores


@dataclass
class _SearchState:
    matrix: sp.csr_matrix
    queries: sp.csr_matrix
    postings_t: sp.csr_matrix  # terms × rows
    k: int
    candidates: int
    rescore: bool

    def search(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        rows = stop - start
        partial = (self.queries[start:stop] @ self.postings_t).tocsr()
        own = np.arange(start, stop, dtype=partial.indices.dtype)
        partial.data[partial.indices == np.repeat(own, np.diff(partial.indptr))] = 0.0
        if not self.rescore:
            return _ranked(top_terms(partial, self.k), rows, self.k)
        picked = top_terms(partial, self.candidates)
        pairs_i = np.repeat(np.arange(start, stop), np.diff(picked.indptr))
        pairs_j = picked.indices.astype(np.int64)
        # The rows of a pair are copied out to score it: a slice of pairs at a time, since
        # the copies of a whole chunk's pairs would be its largest arrays.
        exact = np.empty(len(pairs_i), dtype=np.float32)
        for at in range(0, len(pairs_i), RESCORE_SLICE):
            i, j = pairs_i[at : at + RESCORE_SLICE], pairs_j[at : at + RESCORE_SLICE]
            products = self.matrix[i].multiply(self.matrix[j])
            exact[at : at + len(i)] = np.asarray(products.sum(axis=1), dtype=np.float32).ravel()
        scored = sp.csr_matrix((exact, pairs_j, picked.indptr), shape=picked.shape)
        return _ranked(top_terms(scored, self.k), rows, self.k)


def _ranked(best: sp.csr_matrix, rows: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The entries of each row of ``best`` (at most ``k``) as (indices, scores), best first."""
    indices = np.full((rows, k), -1, dtype=np.int64)
    scores = np.zeros((rows, k), dtype=np.float32)
    for r in range(rows):
        lo, hi = best.indptr[r], best.indptr[r + 1]
        order = np.lexsort((best.indices[lo:hi], -best.data[lo:hi]))
        indices[r, : hi - lo] = best.indices[lo:hi][order]
        scores[r, : hi - lo] = best.data[lo:hi][order]
    return indices, scores


def neighbours(
    matrix: sp.csr_matrix, k: int, *, exact_scores: bool = True, workers: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``k`` nearest other rows: exact (``nearest``) up to ``EXACT_LIMIT`` rows,
    through the inverted index (``nearest_by_postings``) above, where ``exact_scores=False``
    ranks by the partial product alone (good enough to pick a neighbourhood)."""
    if matrix.shape[0] <= EXACT_LIMIT:
        return nearest(matrix, matrix, k)
    return nearest_by_postings(matrix, k, rescore=exact_scores, workers=workers)
