"""Terms and their weights: what an article is made of (steps 1 and 2 of the package doc).

Headline, kicker and lead count ``FIELD_BOOST`` times; terms are weighed by BM25 term
frequency (k1, b: the textbook values) times the smoothed IDF, stems and n-grams as two
blocks joined with ``1 − GRAM_SHARE`` / ``GRAM_SHARE`` of the squared norm.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from redaktion.core import german

from .vectors import truncate_rows

K1 = 1.2
B = 0.75
MIN_DF = 2
GRAM_SHARE = 0.3
VECTOR_SIZE = 256
FIELD_BOOST = 2

STEMS, GRAMS = 0, 1


@dataclass
class Document:
    """What the engine reads of an article. ``headline``/``kicker``/``lead`` weigh double."""

    body: str
    headline: str = ""
    kicker: str = ""
    lead: str = ""

    @property
    def head(self) -> str:
        """Headline, kicker and lead as one text (the part that weighs ``FIELD_BOOST``)."""
        return " ".join(p for p in (self.headline, self.kicker, self.lead) if p)


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
    """The term counts of one document: its body once, its head ``FIELD_BOOST`` times."""
    head = document.head
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
    """BM25 × IDF weights of term counts (rows = articles), see the package doc.

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
    return truncate_rows(weighted, size)
