"""Sparse vectors: one as (ids, weights) arrays, the form the database stores, many as the
rows of a CSR matrix; cutting rows to their heaviest terms and normalising them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp


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


def row_vector(matrix: sp.csr_matrix, i: int) -> SparseVector:
    """Row ``i`` of ``matrix`` as a ``SparseVector``."""
    start, end = matrix.indptr[i], matrix.indptr[i + 1]
    return SparseVector(
        matrix.indices[start:end].astype(np.int64), matrix.data[start:end].astype(np.float32)
    )


def normalise_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
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


def truncate_rows(matrix: sp.csr_matrix, size: int) -> sp.csr_matrix:
    """Each row cut to its ``size`` heaviest entries (ties: lower column first), normalised."""
    return normalise_rows(top_terms(matrix, size))
