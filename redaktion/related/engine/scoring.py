"""Combining content with shared names, topics, Ressort and time (steps 5 and 6 of the
package doc), and the length of the list stored per article."""

from __future__ import annotations

import math
from array import array
from collections.abc import Hashable, Iterable

import numpy as np
import scipy.sparse as sp

LIST_LENGTH = 20
# An article's list is chosen among its POOL nearest articles by content (the batch) or
# among its candidates (one article), re-scored with ``similarity``.
POOL = 30

# Chosen on the tuning part of ``10kgnad-dev.csv`` (``redaktion related eval``): the
# largest name share that costs the tuning part less than ``NAME_TOLERANCE`` of
# precision@5 (the file's labels are Ressorts, which shared names do not predict; they
# mark the same story, which is what they are here for).
NAME_SHARE = 0.05
NAME_TOLERANCE = 0.005
CONTENT_SHARE = 0.75 - NAME_SHARE
TOPIC_SHARE = 0.15
RESSORT_SHARE = 0.10
HALF_LIFE_DAYS = 30.0


def topic_overlap(a: Iterable[Hashable], b: Iterable[Hashable]) -> float:
    """Cosine of two sets (topic ids, names): shared / √(size × size), 0 if one is empty."""
    a, b = set(a), set(b)
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def similarity(
    content: float, topics: float, same_ressort: bool, names: float = 0.0, *, name_share=None
) -> float:
    """Content, shared names, shared topics and Ressort as one number in 0…1 (see the
    package doc); ``name_share`` replaces ``NAME_SHARE`` (the content share follows). Works
    on NumPy arrays of pairs as on single numbers."""
    share = NAME_SHARE if name_share is None else name_share
    return (
        (CONTENT_SHARE + NAME_SHARE - share) * content
        + share * names
        + TOPIC_SHARE * topics
        + RESSORT_SHARE * (same_ressort * 1.0)
    )


def set_rows(sets: Iterable[Iterable[Hashable]]) -> sp.csr_matrix:
    """The sets as rows of a 0/1 matrix scaled to unit length: the dot product of two rows
    is ``topic_overlap`` of their sets. Members are told apart by their hash, so the rows of
    a whole corpus cost 8 bytes a member while they are built."""
    indptr, keys = [0], array("q")
    for members in sets:
        keys.extend(hash(member) for member in dict.fromkeys(members))
        indptr.append(len(keys))
    hashes = np.frombuffer(keys, dtype=np.int64) if keys else np.zeros(0, dtype=np.int64)
    distinct, columns = np.unique(hashes, return_inverse=True)
    matrix = sp.csr_matrix(
        (np.ones(len(columns)), columns.ravel(), np.asarray(indptr)),
        shape=(len(indptr) - 1, max(len(distinct), 1)),
    )
    sizes = np.diff(matrix.indptr)
    return sp.csr_matrix(sp.diags(1.0 / np.sqrt(np.maximum(sizes, 1))) @ matrix)


def pair_overlaps(
    rows: sp.csr_matrix, first: np.ndarray, second: np.ndarray, *, chunk: int = 50_000
) -> np.ndarray:
    """``topic_overlap`` of the sets of rows ``first[p]`` and ``second[p]`` (``set_rows``),
    ``chunk`` pairs at a time (the rows of a whole corpus's pairs would not fit)."""
    overlaps = np.zeros(len(first))
    for at in range(0, len(first), chunk):
        a, b = rows[first[at : at + chunk]], rows[second[at : at + chunk]]
        overlaps[at : at + chunk] = np.asarray(a.multiply(b).sum(axis=1)).ravel()
    return overlaps


def recency_factor(days_apart: float, recency_weight: float) -> float:
    """1 for w = 0; for w = 1 halves every ``HALF_LIFE_DAYS`` between two publications."""
    decay = 2.0 ** (-abs(days_apart) / HALF_LIFE_DAYS)
    return (1.0 - recency_weight) + recency_weight * decay
