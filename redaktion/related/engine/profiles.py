"""Profiles (step 3 of the package doc): an article's own vector plus the mean vector of its
``NEIGHBOURHOOD`` nearest articles, normalised and cut to ``PROFILE_SIZE`` terms, in
``ROUNDS`` rounds (document expansion, Kurland & Lee 2004; Tao et al. 2006)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from .chunks import map_chunks, stack_blocks
from .vectors import SparseVector, truncate_rows

PROFILE_SIZE = 512
NEIGHBOURHOOD = 20
ROUNDS = 2


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
        return truncate_rows(selection @ raw[used], PROFILE_SIZE)

    profiles = map_chunks(block_profiles, n, chunk, workers)
    return stack_blocks(profiles, (n, raw.shape[1]), n * PROFILE_SIZE)


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
