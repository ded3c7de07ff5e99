"""The "Mehr zum Thema" engine: German content similarity, smoothed by each article's
neighbourhood, combined with shared topics, Ressort and recency.

How an article is scored against another
----------------------------------------
1. **Terms** (``german.analyse``): Snowball stems of the content words and character 4-grams of
   the words, umlauts folded. Headline, kicker and lead count twice (they say what the
   article is about); the body once.
2. **Weights**: BM25 term frequency (k1 = 1.2, b = 0.75, the textbook values) times the
   smoothed IDF ``ln((1 + N) / (1 + df)) + 1``. Terms seen in fewer than two articles are
   dropped: they cannot relate two articles. Stems and n-grams are normalised as two blocks
   and joined with 70 % / 30 % of the squared norm, so a compound (``Gewerkschaftsbund``)
   still meets its parts (``Gewerkschaft``) while whole words lead. Each vector keeps its
   ``VECTOR_SIZE`` heaviest terms (that is what the database stores).
3. **Profile**: an article's own vector plus the mean vector of its ``NEIGHBOURHOOD`` nearest
   articles (document expansion, Kurland & Lee 2004; Tao et al. 2006), normalised and cut to
   ``PROFILE_SIZE`` terms. The neighbours are found twice: first by the plain vectors, then
   by the profiles of the first pass. This lifts articles that share the *topic* over
   articles that only share a rare name, which is what a reader of "Mehr zum Thema" wants.
4. **Content similarity** = cosine of the two profiles (0…1).
5. **Similarity** = ``CONTENT_SHARE`` × content + ``TOPIC_SHARE`` × topic overlap (cosine of
   the two topic sets) + ``RESSORT_SHARE`` × same Ressort (0 or 1).
6. **Score shown to readers** = similarity × ((1 − w) + w × 2^(−Δ / ``HALF_LIFE_DAYS``)),
   where Δ is the number of days between the two publications and ``w`` the site's
   ``recency_weight`` (0 = similarity only, 1 = a 30-day-old neighbour counts half).

Parameters were fixed by principle or on a different corpus, never on the labels of the file
that ``redaktion related eval`` measures: BM25's k1/b are the textbook defaults; the n-gram
length, the n-gram share and ``min_df`` were chosen by split-half self-retrieval on the
German Wikinews texts (query: first half of an article, target: its second half; no labels);
the neighbourhood is the stored list length (20) with the expansion weighted like the
article itself (β = 1); the vector sizes are storage budgets (see ``docs/benchmarks.md``).

At scale
--------
A whole corpus is analysed word by word, not document by document: every distinct word
is analysed once (``Lexicon``) and the term counts of all articles are one sparse product
(documents × words) · (words × terms). Neighbours are found exactly (all pairs) up to
``EXACT_LIMIT`` articles; above, through an inverted index of each row's heaviest terms,
each term's list cut to its heaviest entries, and an exact re-scoring of the best
candidates (``nearest_by_postings``), which is linear in the number of articles and is
what the publish task does for one article. The neighbourhoods of the smoothing rounds are
picked by the index's partial scores; only the final neighbours get exact cosines. On
``10kgnad-dev.csv`` this path scores precision@5 0.685 against 0.691 for the exact one (see
``docs/benchmarks.md``). Both steps run in forked worker processes, one per core.

Memory: the corpus is held in NumPy arrays only (CSR matrices with 32-bit indices and
float32 weights; at 100,000 articles 0.2 GB of vectors and 0.4 GB of profiles), which the
forked workers read without writing, so their pages stay shared with the parent; the
parent's Python objects are frozen out of the garbage collector while workers run, so a
collection in a worker does not copy them either. Every step whose result is as large as
the corpus works through it in chunks of rows (``CORPUS_CHUNK`` articles counted and
weighed at a time; 250 rows per expansion and search chunk in the workers) and copies each
chunk into the result as it arrives (``_stack``), so no step holds its result twice, and a
round's profiles are freed before the next round builds its own. An expansion chunk takes
only the vectors it sums out of the corpus, since SciPy converts a whole operand to the
product's float64. Chunk sizes change no result: every row is computed on its own.

This module is pure Python + NumPy/SciPy: it knows nothing about pages or the database.
``services.py`` feeds it articles and stores what it computes; ``redaktion related eval``
feeds it CSV texts.
"""

from __future__ import annotations

import gc
import math
import multiprocessing
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from redaktion.core import german

K1 = 1.2
B = 0.75
MIN_DF = 2
GRAM_SHARE = 0.3
VECTOR_SIZE = 256
PROFILE_SIZE = 512
NEIGHBOURHOOD = 20
ROUNDS = 2
LIST_LENGTH = 20
FIELD_BOOST = 2

CONTENT_SHARE = 0.75
TOPIC_SHARE = 0.15
RESSORT_SHARE = 0.10
HALF_LIFE_DAYS = 30.0

# Neighbour search of a whole corpus: exact up to EXACT_LIMIT articles, above that through
# an inverted index of each profile's heaviest terms (``nearest_by_postings``).
EXACT_LIMIT = 10_000
SEARCH_QUERY_TERMS = 64
SEARCH_POSTING_TERMS = 64
SEARCH_POSTINGS_PER_TERM = 1000
SEARCH_CANDIDATES = 2  # candidates re-scored per neighbour wanted
RESCORE_SLICE = 2000  # candidate pairs re-scored at a time

# Rows of a whole corpus are counted and weighed this many at a time: the working arrays
# of a chunk (about 60 bytes per term of its articles) stay small next to the corpus.
CORPUS_CHUNK = 1000

STEMS, GRAMS = 0, 1


@dataclass
class Document:
    """What the engine reads of an article. ``headline``/``kicker``/``lead`` weigh double."""

    body: str
    headline: str = ""
    kicker: str = ""
    lead: str = ""


@dataclass
class Analysis:
    """Term counts of one document per block (stems, n-grams) and the block lengths."""

    counts: tuple[Counter, Counter]

    @property
    def lengths(self) -> tuple[int, int]:
        return sum(self.counts[STEMS].values()), sum(self.counts[GRAMS].values())

    def terms(self) -> set[str]:
        return set(self.counts[STEMS]) | set(self.counts[GRAMS])


def analyse(document: Document) -> Analysis:
    head = " ".join(p for p in (document.headline, document.kicker, document.lead) if p)
    stems, grams = german.analyse(document.body)
    if head:
        head_stems, head_grams = german.analyse(head)
        for _ in range(FIELD_BOOST):
            stems.update(head_stems)
            grams.update(head_grams)
    return Analysis((stems, grams))


@dataclass
class CorpusStats:
    """What BM25 and IDF need of the corpus: its size and mean block lengths."""

    documents: int = 0
    length_totals: tuple[int, int] = (0, 0)

    def mean_lengths(self) -> np.ndarray:
        totals = np.asarray(self.length_totals, dtype=np.float64)
        return np.maximum(totals / max(self.documents, 1), 1.0)

    def idf(self, df: np.ndarray) -> np.ndarray:
        return np.log((1.0 + self.documents) / (1.0 + df)) + 1.0


def is_gram(term: str) -> bool:
    return term.startswith("~")


def weigh_counts(
    counts: sp.csr_matrix,
    gram_columns: np.ndarray,
    df: np.ndarray,
    stats: CorpusStats,
    size: int = VECTOR_SIZE,
    min_df: int = MIN_DF,
) -> sp.csr_matrix:
    """BM25 × IDF weights of term counts (rows = articles), see the module doc.

    ``gram_columns`` marks the n-gram columns, ``df`` holds each column's document
    frequency; terms below ``min_df`` get no weight. Rows come back L2-normalised with at
    most ``size`` terms each.
    """
    counts = counts.tocsr()
    n = counts.shape[0]
    row_ids = np.repeat(np.arange(n), np.diff(counts.indptr))
    blocks = gram_columns[counts.indices].astype(np.int64)
    tf = counts.data.astype(np.float64)
    lengths = np.bincount(row_ids * 2 + blocks, weights=tf, minlength=2 * n).reshape(n, 2)
    norm_length = 1 - B + B * lengths[row_ids, blocks] / stats.mean_lengths()[blocks]
    col_df = df[counts.indices]
    weights = tf * (K1 + 1) / (tf + K1 * norm_length) * stats.idf(col_df)
    weights[col_df < min_df] = 0.0
    squares = np.bincount(row_ids * 2 + blocks, weights=weights**2, minlength=2 * n)
    norms = np.sqrt(squares).reshape(n, 2)
    norms[norms == 0] = 1.0
    shares = np.sqrt(np.array([1.0 - GRAM_SHARE, GRAM_SHARE]))
    weights *= shares[blocks] / norms[row_ids, blocks]
    weighted = sp.csr_matrix(
        (weights.astype(np.float32), counts.indices, counts.indptr), shape=counts.shape
    )
    return _truncate_rows(weighted, size)


# ---------------------------------------------------------------------------------------
# Sparse vectors as (ids, weights) arrays, the form the database stores.


@dataclass
class SparseVector:
    ids: np.ndarray  # int64, sorted
    weights: np.ndarray  # float32, L2-normalised

    @classmethod
    def from_mapping(cls, mapping: dict[int, float]) -> SparseVector:
        ids = np.fromiter(mapping.keys(), dtype=np.int64, count=len(mapping))
        weights = np.fromiter(mapping.values(), dtype=np.float32, count=len(mapping))
        order = np.argsort(ids)
        return cls(ids[order], weights[order])

    def to_bytes(self) -> bytes:
        return self.ids.astype("<i4").tobytes() + self.weights.astype("<f2").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> SparseVector:
        n = len(data) // 6
        ids = np.frombuffer(data, dtype="<i4", count=n).astype(np.int64)
        weights = np.frombuffer(data, dtype="<f2", count=n, offset=4 * n).astype(np.float32)
        return cls(ids, weights)

    def top(self, n: int) -> SparseVector:
        if len(self.ids) <= n:
            return self
        keep = np.sort(np.argsort(-self.weights, kind="stable")[:n])
        return SparseVector(self.ids[keep], self.weights[keep])


def stack(vectors: Sequence[SparseVector], width: int) -> sp.csr_matrix:
    """The vectors as rows of one CSR matrix with ``width`` columns."""
    indptr = np.zeros(len(vectors) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(v.ids) for v in vectors])
    if not vectors:
        return sp.csr_matrix((0, width), dtype=np.float32)
    ids = np.concatenate([v.ids for v in vectors])
    weights = np.concatenate([v.weights for v in vectors])
    return sp.csr_matrix((weights, ids, indptr), shape=(len(vectors), width))


def row(matrix: sp.csr_matrix, i: int) -> SparseVector:
    start, end = matrix.indptr[i], matrix.indptr[i + 1]
    return SparseVector(
        matrix.indices[start:end].astype(np.int64), matrix.data[start:end].astype(np.float32)
    )


def _normalise_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    matrix = sp.csr_matrix(matrix, dtype=np.float32)
    per_row = np.diff(matrix.indptr)
    row_ids = np.repeat(np.arange(matrix.shape[0]), per_row)
    squares = np.bincount(
        row_ids, weights=matrix.data.astype(np.float64) ** 2, minlength=len(per_row)
    )
    norms = np.sqrt(squares)
    norms[norms == 0] = 1.0
    matrix.data = (matrix.data / norms[row_ids]).astype(np.float32)
    return matrix


def top_terms(matrix: sp.csr_matrix, size: int, *, sort: bool = False) -> sp.csr_matrix:
    """Each row cut to its ``size`` heaviest entries, weights kept, columns sorted. Among
    equal weights the first stored entries win (the lower columns with ``sort=True``).

    Rows are cut one by one with a partial sort (``np.partition``), which is linear in the
    row's length: a global sort of all entries costs more than the rest of a rebuild. Besides
    the result, it allocates one byte per entry (the mask of the kept ones)."""
    matrix = sp.csr_matrix(matrix, dtype=np.float32)
    matrix.eliminate_zeros()
    if sort:
        matrix.sort_indices()
    per_row = np.diff(matrix.indptr)
    long_rows = np.flatnonzero(per_row > size)
    if len(long_rows) == 0:
        matrix.sort_indices()
        return matrix
    keep = np.ones(matrix.nnz, dtype=bool)
    data, indptr = matrix.data, matrix.indptr
    for r in long_rows:
        start, end = indptr[r], indptr[r + 1]
        values = data[start:end]
        cut = end - start - size
        threshold = np.partition(values, cut)[cut]
        row_keep = values > threshold
        ties = np.flatnonzero(values == threshold)[: size - int(row_keep.sum())]
        row_keep[ties] = True
        keep[start:end] = row_keep
    # A cut row keeps exactly ``size`` entries: fewer than ``size`` are above its threshold
    # and at least ``size`` are not below it, so the ties fill it up.
    new_indptr = np.zeros(len(per_row) + 1, dtype=np.int64)
    np.cumsum(np.minimum(per_row, size), out=new_indptr[1:])
    result = sp.csr_matrix(
        (data[keep], matrix.indices[keep], new_indptr), shape=matrix.shape, dtype=np.float32
    )
    result.sort_indices()
    return result


def _truncate_rows(matrix: sp.csr_matrix, size: int) -> sp.csr_matrix:
    """Each row cut to its ``size`` heaviest entries (ties: lower column first), normalised."""
    return _normalise_rows(top_terms(matrix, size))


def expand(
    raw: sp.csr_matrix, neighbours: np.ndarray, chunk: int = 250, workers: int = 1
) -> sp.csr_matrix:
    """Profiles: each row of ``raw`` plus the mean of its neighbours' rows (``-1`` = none),
    normalised and cut to ``PROFILE_SIZE`` terms. Rows are summed ``chunk`` at a time so the
    uncut sums (up to ``NEIGHBOURHOOD + 1`` vectors each) never exist for the whole corpus;
    ``workers`` > 1 splits the chunks over that many forked processes."""
    n, m = neighbours.shape

    def block_profiles(start: int, stop: int) -> sp.csr_matrix:
        block = neighbours[start:stop]
        rows_n = block.shape[0]
        valid = block >= 0
        counts = np.maximum(valid.sum(axis=1), 1)
        # The article itself (weight 1) and the mean of its neighbours, in one product.
        rows = np.concatenate([np.arange(rows_n), np.repeat(np.arange(rows_n), m)[valid.ravel()]])
        cols = np.concatenate([np.arange(start, stop), block.ravel()[valid.ravel()]])
        vals = np.concatenate([np.ones(rows_n), (1.0 / counts)[rows[rows_n:]]])
        # Only the rows it reads are taken out of ``raw`` (in ``raw``'s order, so the sums
        # run in the same order): the float64 product would convert all of ``raw``.
        used, cols = np.unique(cols, return_inverse=True)
        selection = sp.csr_matrix(
            (vals, (rows.astype(np.int32), cols.astype(np.int32))), shape=(rows_n, len(used))
        )
        return _truncate_rows(selection @ raw[used], PROFILE_SIZE)

    profiles = _map_chunks(block_profiles, n, chunk, workers)
    return _stack(profiles, (n, raw.shape[1]), n * PROFILE_SIZE)


def profile(raw: SparseVector, neighbour_raws: Sequence[SparseVector], width: int) -> SparseVector:
    """The profile of one article from its vector and its neighbours' vectors: the same
    sum as ``expand`` for one row, in plain NumPy (no matrix set-up per article)."""
    parts_ids = [raw.ids]
    parts_weights = [raw.weights.astype(np.float64)]
    if neighbour_raws:
        share = 1.0 / len(neighbour_raws)
        parts_ids += [v.ids for v in neighbour_raws]
        parts_weights += [v.weights.astype(np.float64) * share for v in neighbour_raws]
    ids, inverse = np.unique(np.concatenate(parts_ids), return_inverse=True)
    weights = np.bincount(inverse, weights=np.concatenate(parts_weights), minlength=len(ids))
    keep = weights > 0
    ids, weights = ids[keep], weights[keep]
    if len(ids) > PROFILE_SIZE:
        top = np.sort(np.lexsort((ids, -weights))[:PROFILE_SIZE])
        ids, weights = ids[top], weights[top]
    norm = np.sqrt((weights**2).sum()) or 1.0
    return SparseVector(ids.astype(np.int64), (weights / norm).astype(np.float32))


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


# ---------------------------------------------------------------------------------------
# Neighbour search over a whole corpus.


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
        range(0, n, chunk), _map_chunks(state.search, n, chunk, workers), strict=True
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


_CHUNK_FUNCTION = None


def _run_chunk(bounds: tuple[int, int]):
    return _CHUNK_FUNCTION(*bounds)


def _map_chunks(function, n: int, chunk: int, workers: int) -> Iterator:
    """``function(start, stop)`` over ``range(n)`` in chunks, yielding the results in order
    as they come; with ``workers`` > 1 in that many forked processes, which inherit the
    function's data instead of receiving a copy (only the small results travel back).

    The caller folds each result in before the next one arrives, so the parts never all
    exist next to what is built of them. The parent's objects are frozen out of the garbage
    collector (``gc.freeze``) while the workers live: a collection in a worker would
    otherwise write to every container it inherited and so copy their pages."""
    bounds = [(start, min(start + chunk, n)) for start in range(0, n, chunk)]
    if workers <= 1 or len(bounds) <= 1:
        for start, stop in bounds:
            yield function(start, stop)
        return
    global _CHUNK_FUNCTION
    _CHUNK_FUNCTION = function
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(_run_chunk, bounds)
    finally:
        gc.unfreeze()
        _CHUNK_FUNCTION = None


def _drained(items: list) -> Iterator:
    """The items of ``items`` in order, each taken out of the list as it is yielded."""
    items.reverse()
    while items:
        yield items.pop()


def _stack(parts: Iterable[sp.csr_matrix], shape: tuple[int, int], capacity: int) -> sp.csr_matrix:
    """Row blocks (in order, ``shape[0]`` rows in all) as one CSR matrix, each block copied
    in as it comes and then dropped: ``sp.vstack`` would hold all blocks and the result at
    once. ``capacity`` bounds the entries; the arrays are reserved for that many, but only
    the pages that are written become resident."""
    rows, width = shape
    indptr = np.zeros(rows + 1, dtype=np.int64)
    indices = np.empty(capacity, dtype=np.int32)
    data = np.empty(capacity, dtype=np.float32)
    row = nnz = 0
    for part in parts:
        count, height = part.nnz, part.shape[0]
        indices[nnz : nnz + count] = part.indices[:count]
        data[nnz : nnz + count] = part.data[:count]
        indptr[row + 1 : row + height + 1] = part.indptr[1:] + nnz
        row, nnz = row + height, nnz + count
        del part
    return sp.csr_matrix((data[:nnz], indices[:nnz], indptr), shape=(rows, width))


def neighbours(
    matrix: sp.csr_matrix, k: int, *, exact_scores: bool = True, workers: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``k`` nearest other rows: exact (``nearest``) up to ``EXACT_LIMIT`` rows,
    through the inverted index (``nearest_by_postings``) above, where ``exact_scores=False``
    ranks by the partial product alone (good enough to pick a neighbourhood)."""
    if matrix.shape[0] <= EXACT_LIMIT:
        return nearest(matrix, matrix, k)
    return nearest_by_postings(matrix, k, rescore=exact_scores, workers=workers)


# ---------------------------------------------------------------------------------------
# The whole corpus at once: ``redaktion related rebuild`` and ``redaktion related eval``.


@dataclass
class Corpus:
    """A fitted corpus: terms (column order), their document frequencies, the corpus
    statistics, the plain vectors and profiles of every article (rows, input order), and
    each article's nearest articles by profile (indices, cosines; ``-1`` = none)."""

    terms: list[str]
    df: np.ndarray
    stats: CorpusStats
    raw: sp.csr_matrix
    profiles: sp.csr_matrix
    neighbour_ids: np.ndarray
    neighbour_scores: np.ndarray

    def nearest(self, k: int = LIST_LENGTH) -> tuple[np.ndarray, np.ndarray]:
        """Each article's ``k`` most similar others by content, (indices, cosines)."""
        if k <= self.neighbour_ids.shape[1]:
            return self.neighbour_ids[:, :k], self.neighbour_scores[:, :k]
        return nearest(self.profiles, self.profiles, k)


class Lexicon:
    """Distinct words → their index terms, each word analysed once.

    A document's term counts are its word counts times the word × term matrix: the same
    counts ``analyse`` computes word by word, for a whole corpus in one sparse product."""

    def __init__(self):
        self.words: dict[str, int] = {}
        self.terms: dict[str, int] = {}
        self._rows = array("q")
        self._cols = array("q")

    def word_id(self, word: str) -> int:
        wid = self.words.get(word)
        if wid is None:
            wid = self.words[word] = len(self.words)
            stem, grams = german.features(word)
            for term in (stem, *grams):
                self._rows.append(wid)
                self._cols.append(self.terms.setdefault(term, len(self.terms)))
        return wid

    def term_matrix(self) -> sp.csr_matrix:
        """Words × terms: how often each term comes out of each word."""
        rows = np.frombuffer(self._rows, dtype=np.int64)
        cols = np.frombuffer(self._cols, dtype=np.int64)
        return sp.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)),
            shape=(len(self.words), len(self.terms)),
        )

    def term_list(self) -> list[str]:
        return sorted(self.terms, key=self.terms.__getitem__)

    def word_counts(self, documents: Iterable[Words], progress=None) -> sp.csr_matrix:
        """Documents (as ``document_words``) × words: body words once, headline, kicker
        and lead ``FIELD_BOOST`` times (as ``analyse``). The words are summed
        ``CORPUS_CHUNK`` documents at a time, so that only one chunk's repeated words wait
        to be summed."""
        parts = []
        indptr, indices, data = [0], array("q"), array("f")
        for body, head in documents:
            for words, weight in ((body, 1.0), (head, float(FIELD_BOOST))):
                for word in words:
                    indices.append(self.word_id(word))
                    data.append(weight)
            indptr.append(len(indices))
            if progress:
                progress(1)
            if len(indptr) > CORPUS_CHUNK:
                parts.append(self._summed(indptr, indices, data))
                indptr, indices, data = [0], array("q"), array("f")
        parts.append(self._summed(indptr, indices, data))
        shape = (sum(p.shape[0] for p in parts), len(self.words))
        capacity = sum(p.nnz for p in parts)
        return _stack(_drained(parts), shape, capacity)

    def _summed(self, indptr: list[int], indices: array, data: array) -> sp.csr_matrix:
        matrix = sp.csr_matrix(
            (
                np.frombuffer(data, dtype=np.float32),
                np.frombuffer(indices, dtype=np.int64),
                np.asarray(indptr, dtype=np.int64),
            ),
            shape=(len(indptr) - 1, len(self.words)),
        )
        matrix.sum_duplicates()
        return matrix


Words = tuple[list[str], list[str]]


def document_words(document: Document) -> Words:
    """The words of a document's body and of its headline, kicker and lead (``german.words``):
    what ``fit_words`` reads. Pure, so it can run in worker processes."""
    head = " ".join(p for p in (document.headline, document.kicker, document.lead) if p)
    return german.words(document.body), german.words(head)


def fit(
    documents: Iterable[Document], progress=None, *, k: int = LIST_LENGTH, workers: int = 1
) -> Corpus:
    """Analyse, weigh and smooth ``documents`` (see the module doc); labels are never read.

    ``progress`` is called with 1 after each document is analysed; ``k`` is the number of
    neighbours kept per article; ``workers`` the processes of the neighbour search.
    """
    return fit_words(map(document_words, documents), progress, k=k, workers=workers)


def fit_words(
    documents: Iterable[Words], progress=None, *, k: int = LIST_LENGTH, workers: int = 1
) -> Corpus:
    """``fit`` for documents already split into words (``document_words``)."""
    terms, df, stats, raw = _weigh_corpus(documents, progress)
    profiles, neighbour_ids, neighbour_scores = smooth(raw, k=k, workers=workers)
    return Corpus(terms, df, stats, raw, profiles, neighbour_ids, neighbour_scores)


def _weigh_corpus(documents: Iterable[Words], progress=None):
    """Terms, document frequencies, statistics and plain vectors of ``documents``; what
    only this step needs (the word lists, the word × term matrix) is freed on return."""
    lexicon = Lexicon()
    words = lexicon.word_counts(documents, progress)
    word_terms = lexicon.term_matrix()
    terms = lexicon.term_list()
    del lexicon
    grams = np.fromiter((is_gram(t) for t in terms), dtype=bool, count=len(terms))
    n = words.shape[0]
    blocks = np.stack([~grams, grams], axis=1).astype(np.float32)
    lengths = np.asarray(words @ (word_terms @ blocks)).sum(axis=0)
    stats = CorpusStats(documents=n, length_totals=tuple(int(round(x)) for x in lengths))
    chunks = range(0, n, CORPUS_CHUNK)
    df = np.zeros(len(terms), dtype=np.int64)
    for start in chunks:
        counts = words[start : start + CORPUS_CHUNK] @ word_terms
        df += np.bincount(counts.tocsr().indices, minlength=len(terms))
    parts = (
        weigh_counts((words[start : start + CORPUS_CHUNK] @ word_terms).tocsr(), grams, df, stats)
        for start in chunks
    )
    raw = _stack(parts, (n, len(terms)), n * VECTOR_SIZE)
    return terms, df, stats, raw


def smooth(
    raw: sp.csr_matrix, *, k: int = LIST_LENGTH, workers: int = 1
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """Profiles of every row of ``raw`` (``ROUNDS`` rounds of neighbourhood expansion) and
    each profile's ``k`` nearest profiles."""
    found, scores = neighbours(raw, NEIGHBOURHOOD, exact_scores=False, workers=workers)
    for round_ in range(ROUNDS):
        profiles = expand(raw, found[:, :NEIGHBOURHOOD], workers=workers)
        last = round_ == ROUNDS - 1
        found, scores = neighbours(
            profiles,
            max(k, NEIGHBOURHOOD) if last else NEIGHBOURHOOD,
            exact_scores=last,
            workers=workers,
        )
        if not last:
            # Served its search: freed before the next round builds its successor.
            del profiles
    return profiles, found, scores


# ---------------------------------------------------------------------------------------
# Combining content with topics, Ressort and time.


def topic_overlap(a: Iterable[int], b: Iterable[int]) -> float:
    a, b = set(a), set(b)
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def similarity(content: float, topics: float, same_ressort: bool) -> float:
    """Content, shared topics and Ressort as one number in 0…1 (see the module doc)."""
    return CONTENT_SHARE * content + TOPIC_SHARE * topics + RESSORT_SHARE * float(same_ressort)


def recency_factor(days_apart: float, recency_weight: float) -> float:
    """1 for w = 0; for w = 1 halves every ``HALF_LIFE_DAYS`` between two publications."""
    decay = 2.0 ** (-abs(days_apart) / HALF_LIFE_DAYS)
    return (1.0 - recency_weight) + recency_weight * decay
