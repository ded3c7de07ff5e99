"""What the evaluation commands share: a tuning/check split and bootstrap intervals.

Every parameter of the search and related engines is chosen on the *tuning* part of an
evaluation file and reported on the *check* part, which tuning never looks at; a figure from
the file an engine was tuned on overstates what it does on articles it has never seen.

The split is by a hash of each item's id, so it is the same on every machine and run, does
not depend on the order of the file, and an item never changes part when others are added.

A mean over a few hundred queries moves by a few hundredths when other queries are drawn,
so every figure comes with a bootstrap interval, and two systems measured on the same items
are compared by the interval of their paired difference: a change is progress when that
interval lies above zero.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

T = TypeVar("T")

TUNING = "tuning"
CHECK = "check"
PARTS = (TUNING, CHECK)
SALT = "redaktion-evaluation-1"
RESAMPLES = 2000
LEVEL = 0.95


def part_of(item_id: str, *, check_share: float = 0.5) -> str:
    """``"tuning"`` or ``"check"`` for an item, by a stable hash of its id."""
    digest = hashlib.sha256(f"{SALT}:{item_id}".encode()).digest()
    position = int.from_bytes(digest[:8], "big") / 2**64
    return CHECK if position < check_share else TUNING


def split(
    items: Iterable[T], key: Callable[[T], str], *, check_share: float = 0.5
) -> dict[str, list[T]]:
    """The items by part, each part in the order of ``items``."""
    parts: dict[str, list[T]] = {TUNING: [], CHECK: []}
    for item in items:
        parts[part_of(key(item), check_share=check_share)].append(item)
    return parts


@dataclass(frozen=True)
class Estimate:
    """A mean with its bootstrap interval (``low``, ``high``) at ``LEVEL``."""

    mean: float
    low: float
    high: float

    def __str__(self) -> str:
        return f"{self.mean:.4f} [{self.low:.4f}, {self.high:.4f}]"


def _interval(samples: np.ndarray, mean: float) -> Estimate:
    tail = (1 - LEVEL) / 2 * 100
    low, high = np.percentile(samples, [tail, 100 - tail])
    return Estimate(float(mean), float(low), float(high))


def _resampled_means(values: np.ndarray, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(values), size=(RESAMPLES, len(values)))
    return values[picks].mean(axis=1)


def bootstrap(values: Sequence[float], *, seed: int = 0) -> Estimate:
    """The mean of per-item scores (reciprocal ranks, precisions) with its interval."""
    array = np.asarray(values, dtype=float)
    if not len(array):
        raise ValueError("no values to estimate from")
    return _interval(_resampled_means(array, seed), array.mean())


def paired_difference(
    first: Sequence[float], second: Sequence[float], *, seed: int = 0
) -> Estimate:
    """``mean(first) - mean(second)`` over the same items, with the interval of the
    difference (resampling items, not the two systems apart)."""
    a = np.asarray(first, dtype=float)
    b = np.asarray(second, dtype=float)
    if a.shape != b.shape or not len(a):
        raise ValueError("paired scores need the same, non-empty list of items")
    return _interval(_resampled_means(a - b, seed), (a - b).mean())
