"""Rebuilding everything (``redaktion related rebuild``): terms, vectors, profiles, postings
and every list, from the published articles, in one transaction."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from redaktion.news.listings import ressort_path
from redaktion.news.models import ArticlePage

from ..engine.chunks import fork_pool
from ..engine.corpus import Words, document_words, fit_words
from ..engine.names import CaseCounts, CorpusNames, case_counts, split_names
from ..engine.scoring import LIST_LENGTH, POOL, pair_overlaps, set_rows, similarity
from ..engine.terms import MIN_DF
from ..engine.vectors import SparseVector, row_vector, top_terms
from ..models import ArticleVector, CommonWord, CorpusState, Posting, Suggestion, Term, TopicPosting
from .articles import document, published_articles, topics_of
from .bulk import INDEX_MODELS, bulk_load, clear_index, reset_sequence, write_rows
from .indexing import POSTING_TERMS

# Longest CommonWord that is stored (longer forms are hyphenated chains, never looked up).
WORD_LENGTH = 100
# Articles whose texts are read (and split into words) at a time.
BATCH = 2000

Progress = Callable[[str, int, int], None]


def related_rebuild(*, progress: Progress | None = None, workers: int | None = None) -> dict:
    """Recomputes terms, vectors, profiles, postings, names, the common words (``CommonWord``)
    and every list from the published articles, in one transaction. ``progress(stage,
    done, total)`` reports the stages.

    The texts are read ``BATCH`` at a time and split into words (and read for their case
    statistics and capitalised runs, ``engine.names.CorpusNames``) by ``workers`` forked
    processes (default: one per CPU), which end with the last words; as many forked
    processes then share the neighbour search (``engine.search.neighbours``, see the
    engine's memory notes).
    On PostgreSQL the index is written with COPY into truncated tables whose indexes and
    constraints are rebuilt once (``bulk_load``), which locks them until the rebuild
    commits: lists read during the store phase (the last minute or so) wait for it. The
    lists come from each article's ``POOL`` nearest articles by content, re-scored
    with topics and Ressort (``similarity``); they and the postings stay NumPy arrays
    until COPY reads them, a few thousand rows at a time (time and memory at 100,000
    articles: docs/benchmarks.md)."""
    started = time.perf_counter()
    report = progress or (lambda stage, done, total: None)
    workers = workers or os.cpu_count() or 1
    rows = list(published_articles().order_by("pk").values_list("pk", "path", "first_published_at"))
    total = len(rows)
    topics = topics_of(row[0] for row in rows) if rows else {}
    names = CorpusNames()
    corpus = fit_words(_article_words(rows, workers, report, names), k=POOL, workers=workers)
    report("neighbours", total, total)
    common, article_names = names.names()
    lists = _rebuilt_lists(rows, topics, article_names, *corpus.nearest(POOL))
    with transaction.atomic(), bulk_load(INDEX_MODELS):
        clear_index()
        keep = np.flatnonzero(corpus.df >= MIN_DF)
        write_rows(
            Term,
            ["id", "text", "df"],
            ((int(c) + 1, corpus.terms[c], int(corpus.df[c])) for c in keep),
        )
        reset_sequence(Term)
        stems, grams = corpus.stats.length_totals
        CorpusState.objects.update_or_create(
            pk=1,
            defaults={
                "documents": total,
                "stem_length": stems,
                "gram_length": grams,
                "rebuilt_at": timezone.now(),
            },
        )
        now = timezone.now()

        def vector_rows():
            for i, (pk, path, published) in enumerate(rows):
                yield (
                    pk,
                    ressort_path(path),
                    published,
                    ",".join(map(str, topics.get(pk, []))),
                    article_names[i],
                    _shift(row_vector(corpus.raw, i)).to_bytes(),
                    _shift(row_vector(corpus.profiles, i)).to_bytes(),
                    now,
                )
                if (i + 1) % 1000 == 0 or i + 1 == total:
                    report("store", i + 1, total)

        write_rows(
            ArticleVector,
            [
                "article_id",
                "ressort_path",
                "published_at",
                "topic_ids",
                "names",
                "vector",
                "profile",
                "indexed_at",
            ],
            vector_rows(),
        )
        postings = top_terms(corpus.profiles, POSTING_TERMS)
        owners = np.repeat([row[0] for row in rows], np.diff(postings.indptr))
        write_rows(
            Posting,
            ["article_id", "term_id", "weight"],
            _array_rows(owners, postings.indices + 1, postings.data),
        )
        write_rows(Suggestion, ["article_id", "suggested_id", "score"], _array_rows(*lists))
        write_rows(
            CommonWord,
            ["word", "adjective"],
            ((word, adjective) for word, adjective in common.items() if len(word) <= WORD_LENGTH),
        )
        write_rows(
            TopicPosting,
            ["article_id", "topic_id", "published_at"],
            (
                (pk, topic, published)
                for pk, _path, published in rows
                for topic in dict.fromkeys(topics.get(pk, []))
            ),
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in INDEX_MODELS:
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    return {
        "articles": total,
        "suggestions": len(lists[0]),
        "seconds": time.perf_counter() - started,
    }


def _article_words(rows, workers, report, names: CorpusNames) -> Iterator[Words]:
    """The words of each article of ``rows`` in order (``document_words``), split by
    ``workers`` forked processes, whose case statistics and capitalised runs go to
    ``names``. The texts are read ``BATCH`` at a time; while the pool splits one batch, the
    next is read. The pool ends with the last words, before the engine forks the workers
    of its neighbour search."""
    with fork_pool(workers) as pool:
        for words, counts in _split_words(rows, pool, report):
            names.add(counts)
            yield words


def _split_words(rows, pool, report) -> Iterator[tuple[Words, CaseCounts]]:
    total = len(rows)

    def texts(start):
        chunk = [row[0] for row in rows[start : start + BATCH]]
        fields = ArticlePage.objects.filter(pk__in=chunk).values_list(
            "pk", "title", "kicker", "lead", "body"
        )
        by_pk = {
            pk: (title, kicker, lead, list(body.raw_data))
            for pk, title, kicker, lead, body in fields
        }
        return [by_pk[pk] for pk in chunk]

    pending = None
    done = 0
    for start in range(0, total + BATCH, BATCH):
        batch = texts(start) if start < total else []
        if pool is None:
            current = [_words_of(t) for t in batch]
        else:
            current = pool.map_async(_words_of, batch, chunksize=100)
        if pending is not None:
            result = pending if isinstance(pending, list) else pending.get()
            yield from result
            done += len(result)
            report("analyse", done, total)
        pending = current


def _words_of(fields) -> tuple[Words, CaseCounts]:
    title, kicker, lead, raw_body = fields
    body = ArticlePage._meta.get_field("body").stream_block.to_python(raw_body)
    text = document(title, kicker, lead, body)
    return document_words(text), case_counts(text.headline, text.kicker, text.lead, text.body)


def _rebuilt_lists(rows, topics, names, neighbours, content) -> tuple[np.ndarray, ...]:
    """(articles, suggested, scores): every article's best ``LIST_LENGTH`` neighbours by
    ``similarity`` (content, shared names, topics, Ressort), highest first, ties by id, as
    three arrays of the same length (``_array_rows`` turns them into rows). ``names`` holds
    each article's ``joined_names``."""
    n, k = neighbours.shape
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
    pks = np.array([row[0] for row in rows], dtype=np.int64)
    ressort_ids = {}
    ressorts = np.array(
        [ressort_ids.setdefault(ressort_path(r[1]), len(ressort_ids)) for r in rows]
    )
    valid = neighbours >= 0
    i_idx = np.repeat(np.arange(n), k)[valid.ravel()]
    j_idx = neighbours.ravel()[valid.ravel()]
    cosines = content.ravel()[valid.ravel()].astype(np.float64)
    tags = set_rows(topics.get(pk, []) for pk in pks.tolist())
    shared_names = pair_overlaps(set_rows(map(split_names, names)), i_idx, j_idx)
    same = ressorts[i_idx] == ressorts[j_idx]
    scores = similarity(cosines, pair_overlaps(tags, i_idx, j_idx), same, shared_names)
    order = np.lexsort((pks[j_idx], -scores, i_idx))
    i_idx, j_idx, scores = i_idx[order], j_idx[order], scores[order]
    starts = np.searchsorted(i_idx, i_idx, side="left")
    rank = np.arange(len(i_idx)) - starts
    keep = rank < LIST_LENGTH
    return pks[i_idx[keep]], pks[j_idx[keep]], scores[keep]


def _array_rows(*columns: np.ndarray, chunk: int = 10_000) -> Iterator[tuple]:
    """The rows of equally long arrays as tuples of Python values, converted ``chunk`` rows
    at a time: millions of rows as Python objects would be the largest thing a rebuild
    holds."""
    for start in range(0, len(columns[0]), chunk):
        yield from zip(*(column[start : start + chunk].tolist() for column in columns), strict=True)


def _shift(vector: SparseVector) -> SparseVector:
    """Corpus columns → Term ids (column + 1)."""
    return SparseVector(vector.ids + 1, vector.weights)
