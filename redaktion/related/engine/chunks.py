"""Working through a whole corpus in chunks of rows: in order, in forked worker processes
when there are several, and copying each chunk's rows into the result as it arrives, so no
step holds its result twice (see "At scale" in the package doc)."""

from __future__ import annotations

import gc
import multiprocessing
import signal
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import numpy as np
import scipy.sparse as sp

_CHUNK_FUNCTION = None
STOPPING = {signal.SIGTERM, signal.SIGINT}


@contextmanager
def fork_pool(workers: int):
    """A pool of ``workers`` forked processes, or None where the work is better done in this
    process: for one worker, and in a process that runs other threads. A fork copies only
    the thread that forks; a lock another thread held at that moment (logging, the
    allocator, a database driver) stays locked in the child forever, and the pool waits for
    that child for ever. The command line's rebuild is single-threaded and forks; a rebuild
    inside a threaded server or worker computes in its own process instead."""
    if workers <= 1 or threading.active_count() > 1:
        yield None
        return
    # SIGTERM and SIGINT wait while the children are forked (each unblocks them once it has
    # their default handling): a signal in between would otherwise reach a child that still
    # has this process's handler.
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
    try:
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=_default_signals)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    try:
        yield pool
    except BaseException:
        pool.terminate()
        raise
    else:
        # Each child ends after the last chunk: a SIGTERM is only for a pool given up.
        pool.close()
    finally:
        pool.join()


def _default_signals() -> None:
    """In a child of the pool: the default handling of SIGTERM and SIGINT. The parent may
    have its own handlers (``redaktion worker`` stops at its next task when told to), which
    a child waiting for work would run and then go on waiting: ``Pool.terminate`` would
    wait for it for ever."""
    for signum in STOPPING:
        signal.signal(signum, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPPING)


def _run_chunk(bounds: tuple[int, int]):
    return _CHUNK_FUNCTION(*bounds)


def map_chunks(function, n: int, chunk: int, workers: int) -> Iterator:
    """``function(start, stop)`` over ``range(n)`` in chunks, yielding the results in order
    as they come; with ``workers`` > 1 in that many forked processes, which inherit the
    function's data instead of receiving a copy (only the small results travel back).

    The caller folds each result in before the next one arrives, so the parts never all
    exist next to what is built of them. The parent's objects are frozen out of the garbage
    collector (``gc.freeze``) while the workers live: a collection in a worker would
    otherwise write to every container it inherited and so copy their pages."""
    bounds = [(start, min(start + chunk, n)) for start in range(0, n, chunk)]
    if len(bounds) <= 1:
        workers = 1
    global _CHUNK_FUNCTION
    _CHUNK_FUNCTION = function
    gc.freeze()
    try:
        with fork_pool(workers) as pool:
            if pool is None:
                yield from (function(start, stop) for start, stop in bounds)
            else:
                yield from pool.imap(_run_chunk, bounds)
    finally:
        gc.unfreeze()
        _CHUNK_FUNCTION = None


STOPPING = {signal.SIGTERM, signal.SIGINT}


def drained(items: list) -> Iterator:
    """The items of ``items`` in order, each taken out of the list as it is yielded."""
    items.reverse()
    while items:
        yield items.pop()


def stack_blocks(
    parts: Iterable[sp.csr_matrix], shape: tuple[int, int], capacity: int
) -> sp.csr_matrix:
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
