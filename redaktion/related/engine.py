"""The "Mehr zum Thema" engine: German content similarity, smoothed by each article's
neighbourhood, combined with shared topics, Ressort and recency.

How an article is scored against another
----------------------------------------
1. **Terms** (``text.analyse``): Snowball stems of the content words and character 4-grams of
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

This module is pure Python + NumPy/SciPy: it knows nothing about pages or the database.
``services.py`` feeds it articles and stores what it computes; ``redaktion related eval``
feeds it CSV texts.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from . import text

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
    stems, grams = text.analyse(document.body)
    if head:
        head_stems, head_grams = text.analyse(head)
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
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix, dtype=np.float32)


def _truncate_rows(matrix: sp.csr_matrix, size: int) -> sp.csr_matrix:
    """Each row cut to its ``size`` heaviest entries (ties: lower column first), normalised."""
    matrix = sp.csr_matrix(matrix, dtype=np.float32)
    matrix.eliminate_zeros()
    matrix.sort_indices()
    per_row = np.diff(matrix.indptr)
    if per_row.max(initial=0) > size:
        row_ids = np.repeat(np.arange(matrix.shape[0]), per_row)
        # One float sort instead of a lexsort: the row in the integer part, the weight
        # (0…1 after scaling, heaviest first) in the fraction.
        top = float(matrix.data.max()) or 1.0
        order = np.argsort(row_ids + (1.0 - matrix.data.astype(np.float64) / top) * 0.5)
        rank = np.arange(len(order)) - matrix.indptr[row_ids[order]]
        keep = np.sort(order[rank < size])
        matrix = sp.csr_matrix(
            (matrix.data[keep], (row_ids[keep], matrix.indices[keep])), shape=matrix.shape
        )
    return _normalise_rows(matrix)


def expand(raw: sp.csr_matrix, neighbours: np.ndarray, chunk: int = 5000) -> sp.csr_matrix:
    """Profiles: each row of ``raw`` plus the mean of its neighbours' rows (``-1`` = none),
    normalised and cut to ``PROFILE_SIZE`` terms. Rows are summed ``chunk`` at a time so the
    uncut sums (up to ``NEIGHBOURHOOD + 1`` vectors each) never exist for the whole corpus."""
    n, m = neighbours.shape
    parts = []
    for start in range(0, n, chunk):
        block = neighbours[start : start + chunk]
        rows_n = block.shape[0]
        valid = block >= 0
        counts = np.maximum(valid.sum(axis=1), 1)
        rows = np.repeat(np.arange(rows_n), m)[valid.ravel()]
        cols = block.ravel()[valid.ravel()]
        vals = (1.0 / counts)[rows]
        mean = sp.csr_matrix((vals, (rows, cols)), shape=(rows_n, raw.shape[0])) @ raw
        parts.append(_truncate_rows(raw[start : start + rows_n] + mean, PROFILE_SIZE))
    if not parts:
        return sp.csr_matrix(raw.shape, dtype=np.float32)
    return sp.vstack(parts, format="csr")


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
# The whole corpus at once: ``redaktion related rebuild`` and ``redaktion related eval``.


@dataclass
class Corpus:
    """A fitted corpus: terms (column order), their document frequencies, the corpus
    statistics, and the plain vectors and profiles of every article (rows, input order)."""

    terms: list[str]
    df: np.ndarray
    stats: CorpusStats
    raw: sp.csr_matrix
    profiles: sp.csr_matrix

    def nearest(self, k: int = LIST_LENGTH) -> tuple[np.ndarray, np.ndarray]:
        """Each article's ``k`` most similar others by content, (indices, cosines)."""
        return nearest(self.profiles, self.profiles, k)


def count_matrix(
    analyses: Iterable[Analysis], vocabulary: dict[str, int]
) -> tuple[sp.csr_matrix, list[int]]:
    """Term counts as a CSR matrix; new terms are added to ``vocabulary``. Also returns the
    (stems, n-grams) length totals."""
    indptr, indices, data = [0], array("q"), array("f")
    totals = [0, 0]
    for analysis in analyses:
        for block, counts in enumerate(analysis.counts):
            for term, count in counts.items():
                indices.append(vocabulary.setdefault(term, len(vocabulary)))
                data.append(count)
                totals[block] += count
        indptr.append(len(indices))
    matrix = sp.csr_matrix(
        (
            np.frombuffer(data, dtype=np.float32),
            np.frombuffer(indices, dtype=np.int64),
            np.asarray(indptr, dtype=np.int64),
        ),
        shape=(len(indptr) - 1, len(vocabulary)),
    )
    return matrix, totals


def fit(documents: Iterable[Document], progress=None) -> Corpus:
    """Analyse, weigh and smooth ``documents`` (see the module doc); labels are never read.

    ``progress`` is called with 1 after each document is analysed.
    """

    def analysed():
        for document in documents:
            yield analyse(document)
            if progress:
                progress(1)

    vocabulary: dict[str, int] = {}
    counts, totals = count_matrix(analysed(), vocabulary)
    terms = sorted(vocabulary, key=vocabulary.__getitem__)
    df = np.bincount(counts.indices, minlength=len(terms))
    stats = CorpusStats(documents=counts.shape[0], length_totals=tuple(totals))
    grams = np.fromiter((is_gram(t) for t in terms), dtype=bool, count=len(terms))
    raw = weigh_counts(counts, grams, df, stats)
    return Corpus(terms, df, stats, raw, smooth(raw))


def smooth(raw: sp.csr_matrix) -> sp.csr_matrix:
    """Profiles of every row of ``raw``: ``ROUNDS`` rounds of neighbourhood expansion."""
    neighbours, _ = nearest(raw, raw, NEIGHBOURHOOD)
    profiles = raw
    for _ in range(ROUNDS):
        profiles = expand(raw, neighbours)
        neighbours, _ = nearest(profiles, profiles, NEIGHBOURHOOD)
    return profiles


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
