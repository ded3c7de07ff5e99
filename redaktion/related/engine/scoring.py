"""Combining content with topics, Ressort and time (steps 5 and 6 of the package doc), and
the length of the list stored per article."""

from __future__ import annotations

import math
from collections.abc import Iterable

LIST_LENGTH = 20

CONTENT_SHARE = 0.75
TOPIC_SHARE = 0.15
RESSORT_SHARE = 0.10
HALF_LIFE_DAYS = 30.0


def topic_overlap(a: Iterable[int], b: Iterable[int]) -> float:
    a, b = set(a), set(b)
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def similarity(content: float, topics: float, same_ressort: bool) -> float:
    """Content, shared topics and Ressort as one number in 0…1 (see the package doc)."""
    return CONTENT_SHARE * content + TOPIC_SHARE * topics + RESSORT_SHARE * float(same_ressort)


def recency_factor(days_apart: float, recency_weight: float) -> float:
    """1 for w = 0; for w = 1 halves every ``HALF_LIFE_DAYS`` between two publications."""
    decay = 2.0 ** (-abs(days_apart) / HALF_LIFE_DAYS)
    return (1.0 - recency_weight) + recency_weight * decay
