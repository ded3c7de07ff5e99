"""Writes of "Mehr zum Thema": index one article, drop one, rebuild everything.

Every service is idempotent: running it twice leaves the same rows. The engine (engine.py)
does the maths; this module loads articles, keeps the index tables in step and maintains
the stored lists (models.py).

One article, on publish (``related_index_article``), with a few indexed queries (about
20 ms p95 for the list and 90 ms p95 for the whole update at 1,000,000 indexed articles,
see docs/benchmarks.md):

1. analyse the text; look up its terms (creating new ones); a first publication adds to the
   document frequencies and corpus totals (edits and unpublishing do not subtract: the drift
   is one count per term and the next rebuild removes it). Unlike the batch, terms no other
   article has yet are kept, since later articles can find this one only through them;
   stored vectors keep the statistics of their day until ``redaktion related rebuild``;
2. candidates, in one query on PostgreSQL: the articles whose profiles hold the article's
   ``QUERY_TERMS`` heaviest terms (``POSTINGS_PER_TERM`` best postings per term, read from
   a covering index), best ``CANDIDATES`` by summed weight, plus the newest
   ``TOPIC_CANDIDATES`` per shared topic (``TopicPosting``), with their stored profiles;
3. its profile from its neighbours among the candidates (two rounds, as in the batch: the
   first by the index's scores, the second by profile; one more query loads the vectors of
   the second round's neighbours), its similarity to every candidate, its list = the best
   ``LIST_LENGTH``;
4. the older articles learn about it: wherever its similarity beats the last entry of a
   candidate's list (or the list is short), it goes in and the last entry goes out.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from django.core.management.color import no_style
from django.db import OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from redaktion.news.blocks import body_text
from redaktion.news.models import ArticlePage, TaggedArticle

from . import engine
from .models import ArticleVector, CorpusState, Posting, Suggestion, Term, TopicPosting

QUERY_TERMS = 32
POSTINGS_PER_TERM = 200
CANDIDATES = 100
TOPIC_CANDIDATES = 20
POSTING_TERMS = 24
REBUILD_POOL = 30
BATCH = 2000

Progress = Callable[[str, int, int], None]


@dataclass
class Indexed:
    """What scoring needs of one indexed article."""

    pk: int
    ressort_path: str
    published_at: object
    topics: list[int]
    vector: engine.SparseVector
    profile: engine.SparseVector | None = None


def published_articles():
    """Live articles without a view restriction on them or an ancestor."""
    articles = ArticlePage.objects.live()
    for restriction in PageViewRestriction.objects.select_related("page"):
        articles = articles.exclude(path__startswith=restriction.page.path)
    return articles


def _document(title, kicker, lead, body) -> engine.Document:
    return engine.Document(body=body_text(body), headline=title, kicker=kicker, lead=lead)


def _ressort_path(path: str) -> str:
    return path[: -Page.steplen]


def _topics_of(article_ids: Iterable[int]) -> dict[int, list[int]]:
    topics: dict[int, list[int]] = {}
    rows = TaggedArticle.objects.filter(content_object_id__in=list(article_ids))
    for article_id, tag_id in rows.values_list("content_object_id", "tag_id").order_by("tag_id"):
        topics.setdefault(article_id, []).append(tag_id)
    return topics


# ---------------------------------------------------------------------------------------
# One article


def related_index_article(*, article_id: int) -> int:
    """(Re)computes the article's vector, profile and list and updates the lists it now
    belongs in. An article that is not published (draft, unpublished, private, deleted) is
    removed from the index instead. Returns the length of its list."""
    article = published_articles().filter(pk=article_id).first()
    if article is None:
        related_remove_article(article_id=article_id)
        return 0
    analysis = engine.analyse(_document(article.title, article.kicker, article.lead, article.body))
    with transaction.atomic():
        vector = _vectorise(analysis, first_time=not _is_indexed(article_id))
        query = Indexed(
            pk=article.pk,
            ressort_path=_ressort_path(article.path),
            published_at=article.first_published_at,
            topics=_topics_of([article.pk]).get(article.pk, []),
            vector=vector,
        )
        return _store_list(query)


def related_refresh_article(*, article_id: int) -> int:
    """Recomputes the list of an indexed article from its stored vector (after an article it
    listed went away). Returns the list length; 0 if the article is not indexed."""
    stored = ArticleVector.objects.filter(pk=article_id).first()
    if stored is None:
        return 0
    with transaction.atomic():
        return _store_list(indexed(stored))


def related_remove_article(*, article_id: int) -> list[int]:
    """Takes the article out of the index and out of every list, then refills the lists that
    had it. Returns the ids of the refilled articles."""
    with transaction.atomic():
        affected = list(
            Suggestion.objects.filter(suggested_id=article_id)
            .exclude(article_id=article_id)
            .values_list("article_id", flat=True)
        )
        Suggestion.objects.filter(article_id=article_id).delete()
        Suggestion.objects.filter(suggested_id=article_id).delete()
        ArticleVector.objects.filter(pk=article_id).delete()
    for other in affected:
        related_refresh_article(article_id=other)
    return affected


def _is_indexed(article_id: int) -> bool:
    return ArticleVector.objects.filter(pk=article_id).exists()


def _vectorise(analysis: engine.Analysis, *, first_time: bool) -> engine.SparseVector:
    terms = sorted(analysis.terms())

    def stored():
        rows = Term.objects.filter(text__in=terms).values_list("text", "id", "df")
        return {text: (pk, df) for text, pk, df in rows}

    found = stored()
    missing = [Term(text=t) for t in terms if t not in found]
    if missing:
        Term.objects.bulk_create(missing, ignore_conflicts=True)
        found = stored()
    state, _ = CorpusState.objects.get_or_create(pk=1)
    if first_time:
        Term.objects.filter(id__in=[pk for pk, _ in found.values()]).update(df=F("df") + 1)
        found = {text: (pk, df + 1) for text, (pk, df) in found.items()}
        stems, grams = analysis.lengths
        CorpusState.objects.filter(pk=1).update(
            documents=F("documents") + 1,
            stem_length=F("stem_length") + stems,
            gram_length=F("gram_length") + grams,
        )
        state.refresh_from_db()
    stats = engine.CorpusStats(
        documents=state.documents, length_totals=(state.stem_length, state.gram_length)
    )
    columns = {term: i for i, term in enumerate(terms)}
    counts = [0.0] * len(terms)
    for block in analysis.counts:
        for term, count in block.items():
            counts[columns[term]] += count
    matrix = sp.csr_matrix(
        (np.asarray(counts, dtype=np.float32), np.arange(len(terms)), [0, len(terms)]),
        shape=(1, len(terms)),
    )
    grams = np.fromiter((engine.is_gram(t) for t in terms), dtype=bool, count=len(terms))
    df = np.fromiter((found[t][1] for t in terms), dtype=np.int64, count=len(terms))
    # A term the corpus has not seen elsewhere yet keeps its weight: the next articles may
    # share it, and they can only find this one through it.
    weighted = engine.weigh_counts(matrix, grams, df, stats, min_df=1)
    ids = np.array([found[terms[c]][0] for c in weighted.indices], dtype=np.int64)
    return engine.SparseVector.from_mapping(
        dict(zip(ids.tolist(), weighted.data.tolist(), strict=True))
    )


def indexed(stored: ArticleVector) -> Indexed:
    return Indexed(
        pk=stored.pk,
        ressort_path=stored.ressort_path,
        published_at=stored.published_at,
        topics=stored.topics(),
        vector=engine.SparseVector.from_bytes(bytes(stored.vector)),
        profile=engine.SparseVector.from_bytes(bytes(stored.profile)),
    )


_POOL_SQL = """
    WITH q(term, w) AS (SELECT * FROM unnest(%(terms)s::bigint[], %(weights)s::float8[])),
    scored AS (
        SELECT p.article_id, SUM(q.w * p.weight) AS s
        FROM q CROSS JOIN LATERAL (
            SELECT article_id, weight FROM related_posting
            WHERE term_id = q.term ORDER BY weight DESC LIMIT %(per_term)s
        ) p
        WHERE p.article_id <> %(pk)s
        GROUP BY p.article_id ORDER BY s DESC LIMIT %(candidates)s
    ),
    ranked AS (
        SELECT article_id, row_number() OVER (ORDER BY s DESC, article_id) AS r FROM scored
    ),
    topical AS (
        SELECT DISTINCT t.article_id FROM unnest(%(topics)s::bigint[]) AS q(topic)
        CROSS JOIN LATERAL (
            SELECT article_id FROM related_topicposting
            WHERE topic_id = q.topic AND article_id <> %(pk)s
            ORDER BY published_at DESC LIMIT %(topic_candidates)s
        ) t
    ),
    pool AS (
        SELECT article_id, r FROM ranked
        UNION ALL SELECT article_id, NULL FROM topical
    )
    SELECT v.article_id, v.ressort_path, v.published_at, v.topic_ids, v.profile,
        CASE WHEN min(pool.r) <= %(neighbourhood)s THEN v.vector END, min(pool.r)
    FROM pool JOIN related_articlevector v ON v.article_id = pool.article_id
    GROUP BY v.article_id
"""


def _candidates(query: Indexed) -> tuple[list[Indexed], list[int]]:
    """The candidate pool of ``query``, with profiles (and, for the ``NEIGHBOURHOOD`` best
    by the inverted index, plain vectors), and the pool positions of those best, best first.

    Candidates are the ``CANDIDATES`` articles whose stored postings (profile terms) best
    match the query's ``QUERY_TERMS`` heaviest terms, each term's ``POSTINGS_PER_TERM``
    heaviest postings read from the covering index, and the newest ``TOPIC_CANDIDATES``
    sharing a topic. One query on PostgreSQL."""
    top = query.vector.top(QUERY_TERMS)
    params = {
        "terms": top.ids.tolist(),
        "weights": top.weights.tolist(),
        "per_term": POSTINGS_PER_TERM,
        "pk": query.pk,
        "candidates": CANDIDATES,
        "topics": query.topics,
        "topic_candidates": TOPIC_CANDIDATES if query.topics else 0,
        "neighbourhood": engine.NEIGHBOURHOOD,
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_POOL_SQL, params)
            rows = cursor.fetchall()
        pool, ranks = [], []
        for pk, path, published, topic_ids, profile, vector, rank in rows:
            pool.append(
                Indexed(
                    pk=pk,
                    ressort_path=path,
                    published_at=published,
                    topics=[int(t) for t in topic_ids.split(",") if t],
                    vector=engine.SparseVector.from_bytes(bytes(vector)) if vector else None,
                    profile=engine.SparseVector.from_bytes(bytes(profile)),
                )
            )
            ranks.append(rank)
        best = sorted(
            (i for i, rank in enumerate(ranks) if rank is not None and pool[i].vector),
            key=ranks.__getitem__,
        )
        return pool, best
    return _candidates_portable(query, params)


def _candidates_portable(query: Indexed, params: dict) -> tuple[list[Indexed], list[int]]:
    """``_candidates`` for databases without LATERAL joins (SQLite in development)."""
    ids, weights = params["terms"], params["weights"]
    scored: list[int] = []
    if ids:
        values = ", ".join(["(%s, %s)"] * len(ids))
        sql = f"""
            WITH q(term, w) AS (VALUES {values}),
            ranked AS (
                SELECT article_id, term_id, weight, ROW_NUMBER() OVER (
                    PARTITION BY term_id ORDER BY weight DESC) AS n
                FROM related_posting WHERE term_id IN (SELECT term FROM q)
            )
            SELECT r.article_id FROM ranked r JOIN q ON q.term = r.term_id
            WHERE r.n <= %s AND r.article_id <> %s
            GROUP BY r.article_id ORDER BY SUM(q.w * r.weight) DESC, r.article_id LIMIT %s
        """  # noqa: S608 - only placeholders are interpolated
        args = [v for pair in zip(ids, weights, strict=True) for v in pair]
        args += [POSTINGS_PER_TERM, query.pk, CANDIDATES]
        with connection.cursor() as cursor:
            cursor.execute(sql, args)
            scored = [row[0] for row in cursor.fetchall()]
    by_topic: list[int] = []
    for topic in query.topics:
        by_topic += (
            TopicPosting.objects.filter(topic_id=topic)
            .exclude(article_id=query.pk)
            .order_by("-published_at")
            .values_list("article_id", flat=True)[:TOPIC_CANDIDATES]
        )
    order = list(dict.fromkeys(scored + by_topic))
    stored = {row.pk: indexed(row) for row in ArticleVector.objects.filter(pk__in=order)}
    pool = [stored[pk] for pk in order if pk in stored]
    position = {item.pk: i for i, item in enumerate(pool)}
    best = [position[pk] for pk in scored[: engine.NEIGHBOURHOOD] if pk in position]
    return pool, best


def _vectors_of(pool: list[Indexed], positions: list[int]) -> None:
    """Loads the plain vectors of the pool entries at ``positions`` that lack one."""
    missing = [pool[i].pk for i in positions if pool[i].vector is None]
    if not missing:
        return
    vectors = dict(ArticleVector.objects.filter(pk__in=missing).values_list("pk", "vector"))
    for i in positions:
        if pool[i].vector is None:
            pool[i].vector = engine.SparseVector.from_bytes(bytes(vectors[pool[i].pk]))


def _score(
    query: Indexed, pool: list[Indexed], best: list[int]
) -> tuple[engine.SparseVector, np.ndarray]:
    """The query's profile and its similarity to every article of ``pool``.

    As in the batch (engine.smooth): the profile is the query's vector plus the mean of its
    neighbours' vectors, in ``ROUNDS`` rounds. The first neighbours are the best candidates
    by the inverted index (``best``); later rounds take the nearest candidates by profile
    (their vectors are loaded by one more query when the pool lacks them)."""
    if not pool:
        return query.vector, np.zeros(0)
    width = 1 + max(int(v.ids.max(initial=0)) for v in [query.vector, *(p.profile for p in pool)])
    profiles = engine.stack([p.profile for p in pool], width)
    nearest = best[: engine.NEIGHBOURHOOD]
    content = np.zeros(len(pool))
    for round_ in range(engine.ROUNDS):
        if round_:
            order = np.argsort(-content, kind="stable")[: engine.NEIGHBOURHOOD]
            nearest = [int(i) for i in order if content[i] > 0]
            _vectors_of(pool, nearest)
        width = max(
            width, 1 + max((int(pool[i].vector.ids.max(initial=0)) for i in nearest), default=0)
        )
        query_profile = engine.profile(query.vector, [pool[i].vector for i in nearest], width)
        profiles.resize((len(pool), width))
        content = (profiles @ engine.stack([query_profile], width).T).toarray().ravel()
    scores = np.zeros(len(pool))
    for i, other in enumerate(pool):
        topics = engine.topic_overlap(query.topics, other.topics)
        if content[i] > 0 or topics > 0:
            scores[i] = engine.similarity(
                float(content[i]), topics, other.ressort_path == query.ressort_path
            )
    return query_profile, scores


def compute_list(query: Indexed) -> tuple[list[Indexed], engine.SparseVector, np.ndarray]:
    """Read-only part of indexing: candidates, the query's profile and its similarity to
    each candidate. Two queries on PostgreSQL (the pool; the vectors of the second round's
    neighbours that the pool lacks)."""
    pool, best = _candidates(query)
    query_profile, scores = _score(query, pool, best)
    return pool, query_profile, scores


def _store_list(query: Indexed) -> int:
    pool, query_profile, scores = compute_list(query)
    ArticleVector.objects.update_or_create(
        pk=query.pk,
        defaults={
            "ressort_path": query.ressort_path,
            "published_at": query.published_at,
            "topic_ids": ",".join(map(str, query.topics)),
            "vector": query.vector.to_bytes(),
            "profile": query_profile.to_bytes(),
        },
    )
    Posting.objects.filter(article_id=query.pk).delete()
    Posting.objects.bulk_create(_postings(query.pk, query_profile))
    TopicPosting.objects.filter(article_id=query.pk).delete()
    TopicPosting.objects.bulk_create(
        TopicPosting(article_id=query.pk, topic_id=topic, published_at=query.published_at)
        for topic in dict.fromkeys(query.topics)
    )
    order = np.argsort(-scores, kind="stable")
    best = [(pool[i].pk, float(scores[i])) for i in order[: engine.LIST_LENGTH] if scores[i] > 0]
    Suggestion.objects.filter(article_id=query.pk).delete()
    Suggestion.objects.bulk_create(
        Suggestion(article_id=query.pk, suggested_id=pk, score=score) for pk, score in best
    )
    _offer(query.pk, {pool[i].pk: float(scores[i]) for i in range(len(pool)) if scores[i] > 0})
    return len(best)


def _postings(article_id: int, profile: engine.SparseVector) -> list[Posting]:
    top = profile.top(POSTING_TERMS)
    return [
        Posting(article_id=article_id, term_id=int(term), weight=float(weight))
        for term, weight in zip(top.ids, top.weights, strict=True)
    ]


def _offer(article_id: int, scores: dict[int, float]) -> None:
    """Puts ``article_id`` into the lists of the articles in ``scores`` where it now ranks in
    the top ``LIST_LENGTH``; the entry it pushes out is deleted."""
    Suggestion.objects.filter(suggested_id=article_id).delete()
    if not scores:
        return
    lists: dict[int, list[tuple[float, int]]] = {pk: [] for pk in scores}
    rows = Suggestion.objects.filter(article_id__in=list(scores)).values_list(
        "article_id", "score", "pk"
    )
    for owner, score, pk in rows:
        lists[owner].append((score, pk))
    new, dropped = [], []
    for owner, entries in lists.items():
        score = scores[owner]
        if len(entries) < engine.LIST_LENGTH:
            new.append(Suggestion(article_id=owner, suggested_id=article_id, score=score))
        else:
            weakest = min(entries)
            if score > weakest[0]:
                new.append(Suggestion(article_id=owner, suggested_id=article_id, score=score))
                dropped.append(weakest[1])
    Suggestion.objects.filter(pk__in=dropped).delete()
    Suggestion.objects.bulk_create(new)


# ---------------------------------------------------------------------------------------
# Everything


def related_rebuild(*, progress: Progress | None = None, workers: int | None = None) -> dict:
    """Recomputes terms, vectors, profiles, postings and every list from the published
    articles, in one transaction. ``progress(stage, done, total)`` reports the stages.

    The texts are read ``BATCH`` at a time and split into words by ``workers`` forked
    processes (default: one per CPU), which end with the last words; as many forked
    processes then share the neighbour search (engine.neighbours, see its memory notes).
    On PostgreSQL the index is written with COPY into truncated tables whose indexes and
    constraints are rebuilt once (``bulk_load``), which locks them until the rebuild
    commits: lists read during the store phase (the last minute or so) wait for it. The
    lists come from each article's ``REBUILD_POOL`` nearest articles by content, re-scored
    with topics and Ressort (engine.similarity); they and the postings stay NumPy arrays
    until COPY reads them, a few thousand rows at a time (time and memory at 100,000
    articles: docs/benchmarks.md)."""
    started = time.perf_counter()
    report = progress or (lambda stage, done, total: None)
    workers = workers or os.cpu_count() or 1
    rows = list(published_articles().order_by("pk").values_list("pk", "path", "first_published_at"))
    total = len(rows)
    topics = _topics_of(row[0] for row in rows) if rows else {}
    corpus = engine.fit_words(
        _article_words(rows, workers, report), k=REBUILD_POOL, workers=workers
    )
    report("neighbours", total, total)
    lists = _rebuilt_lists(rows, topics, *corpus.nearest(REBUILD_POOL))
    with transaction.atomic(), bulk_load([Suggestion, Posting, TopicPosting, ArticleVector, Term]):
        _clear_index()
        keep = np.flatnonzero(corpus.df >= engine.MIN_DF)
        _write(
            Term,
            ["id", "text", "df"],
            ((int(c) + 1, corpus.terms[c], int(corpus.df[c])) for c in keep),
        )
        _reset_sequence(Term)
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

        def vectors():
            for i, (pk, path, published) in enumerate(rows):
                yield (
                    pk,
                    _ressort_path(path),
                    published,
                    ",".join(map(str, topics.get(pk, []))),
                    _shift(engine.row(corpus.raw, i)).to_bytes(),
                    _shift(engine.row(corpus.profiles, i)).to_bytes(),
                    now,
                )
                if (i + 1) % 1000 == 0 or i + 1 == total:
                    report("store", i + 1, total)

        _write(
            ArticleVector,
            [
                "article_id",
                "ressort_path",
                "published_at",
                "topic_ids",
                "vector",
                "profile",
                "indexed_at",
            ],
            vectors(),
        )
        postings = engine.top_terms(corpus.profiles, POSTING_TERMS)
        owners = np.repeat([row[0] for row in rows], np.diff(postings.indptr))
        _write(
            Posting,
            ["article_id", "term_id", "weight"],
            _array_rows(owners, postings.indices + 1, postings.data),
        )
        _write(Suggestion, ["article_id", "suggested_id", "score"], _array_rows(*lists))
        _write(
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
            for model in (Term, ArticleVector, Posting, TopicPosting, Suggestion):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    return {
        "articles": total,
        "suggestions": len(lists[0]),
        "seconds": time.perf_counter() - started,
    }


@contextmanager
def _pool(workers: int):
    """A pool of forked processes for the word splitting (None for one worker). They
    inherit the loaded apps and never touch the database."""
    if workers <= 1:
        yield None
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield pool


def _article_words(rows, workers, report) -> Iterator[engine.Words]:
    """The words of each article of ``rows`` in order (engine.document_words), split by
    ``workers`` forked processes. The texts are read ``BATCH`` at a time; while the pool
    splits one batch, the next is read. The pool ends with the last words, before the
    engine forks the workers of its neighbour search."""
    with _pool(workers) as pool:
        yield from _split_words(rows, pool, report)


def _split_words(rows, pool, report) -> Iterator[engine.Words]:
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


def _words_of(fields) -> engine.Words:
    title, kicker, lead, raw_body = fields
    body = ArticlePage._meta.get_field("body").stream_block.to_python(raw_body)
    return engine.document_words(_document(title, kicker, lead, body))


def _rebuilt_lists(rows, topics, neighbours, content) -> tuple[np.ndarray, ...]:
    """(articles, suggested, scores): every article's best ``LIST_LENGTH`` neighbours by
    engine.similarity (content, topics, Ressort), highest first, ties by id, as three
    arrays of the same length (``_array_rows`` turns them into rows)."""
    n, k = neighbours.shape
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
    pks = np.array([row[0] for row in rows], dtype=np.int64)
    ressort_ids = {}
    ressorts = np.array(
        [ressort_ids.setdefault(_ressort_path(r[1]), len(ressort_ids)) for r in rows]
    )
    tag_ids = {}
    t_rows, t_cols = [], []
    for i, pk in enumerate(pks.tolist()):
        for tag in topics.get(pk, []):
            t_rows.append(i)
            t_cols.append(tag_ids.setdefault(tag, len(tag_ids)))
    tags = sp.csr_matrix((np.ones(len(t_rows)), (t_rows, t_cols)), shape=(n, max(len(tag_ids), 1)))
    sizes = np.asarray(tags.sum(axis=1)).ravel()
    tags = sp.csr_matrix(sp.diags(1.0 / np.sqrt(np.maximum(sizes, 1))) @ tags)
    valid = neighbours >= 0
    i_idx = np.repeat(np.arange(n), k)[valid.ravel()]
    j_idx = neighbours.ravel()[valid.ravel()]
    cosines = content.ravel()[valid.ravel()].astype(np.float64)
    overlap = np.asarray(tags[i_idx].multiply(tags[j_idx]).sum(axis=1)).ravel()
    same = ressorts[i_idx] == ressorts[j_idx]
    scores = (
        engine.CONTENT_SHARE * cosines + engine.TOPIC_SHARE * overlap + engine.RESSORT_SHARE * same
    )
    order = np.lexsort((pks[j_idx], -scores, i_idx))
    i_idx, j_idx, scores = i_idx[order], j_idx[order], scores[order]
    starts = np.searchsorted(i_idx, i_idx, side="left")
    rank = np.arange(len(i_idx)) - starts
    keep = rank < engine.LIST_LENGTH
    return pks[i_idx[keep]], pks[j_idx[keep]], scores[keep]


def _array_rows(*columns: np.ndarray, chunk: int = 10_000) -> Iterator[tuple]:
    """The rows of equally long arrays as tuples of Python values, converted ``chunk`` rows
    at a time: millions of rows as Python objects would be the largest thing a rebuild
    holds."""
    for start in range(0, len(columns[0]), chunk):
        yield from zip(*(column[start : start + chunk].tolist() for column in columns), strict=True)


@contextmanager
def bulk_load(models):
    """On PostgreSQL, inside a transaction: the secondary indexes, unique and foreign-key
    constraints of ``models``' tables are dropped for the block and recreated after it, so
    that millions of rows are checked and indexed in a few set-based passes instead of one
    by one. The tables are locked for the transaction (the rebuild truncates them anyway)."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in models]
    try:
        # A transaction that already wrote to these tables has foreign-key checks pending
        # and cannot alter them: it loads with the constraints in place instead.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) "
                "AND contype IN ('f', 'u') ORDER BY contype DESC",
                [tables],
            )
            constraints = cursor.fetchall()
            for table, name, _ in reversed(constraints):
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                "FROM pg_index i WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary",
                [tables],
            )
            indexes = cursor.fetchall()
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX {name}")
    except OperationalError:
        yield
        return
    yield
    with connection.cursor() as cursor:
        for _, definition in indexes:
            cursor.execute(definition)
        # Unique constraints before the foreign keys that may rely on them.
        for table, name, definition in constraints:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def _clear_index() -> None:
    models = (Suggestion, Posting, TopicPosting, ArticleVector, Term)
    tables = [m._meta.db_table for m in models]
    if connection.vendor == "postgresql":
        try:
            # Not possible in a transaction with foreign-key checks pending on the tables.
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {', '.join(tables)}")  # noqa: S608 - model tables
            return
        except OperationalError:
            pass
    # Plain DELETEs: Django's cascade collector would load every row first.
    for model in models:
        model.objects.all()._raw_delete(model.objects.db)


def _write(model, columns: list[str], rows: Iterable[tuple]) -> None:
    """Inserts ``rows`` (values in ``columns`` order): COPY on PostgreSQL, batched
    INSERTs elsewhere."""
    if connection.vendor == "postgresql":
        table = model._meta.db_table
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"  # noqa: S608
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            for values in rows:
                copy.write_row(values)
        return
    names = [model._meta.get_field(column).attname for column in columns]
    batch = []
    for values in rows:
        batch.append(model(**dict(zip(names, values, strict=True))))
        if len(batch) == BATCH:
            model.objects.bulk_create(batch)
            batch = []
    model.objects.bulk_create(batch)


def _shift(vector: engine.SparseVector) -> engine.SparseVector:
    """Corpus columns → Term ids (column + 1)."""
    return engine.SparseVector(vector.ids + 1, vector.weights)


def _reset_sequence(model) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), [model])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
