"""The candidate pool of an article being indexed: the articles whose stored postings best
match its heaviest terms, and the newest sharing one of its topics, with what scoring needs
of them. One query on PostgreSQL (LATERAL joins over covering indexes); a portable version
for SQLite in development."""

from __future__ import annotations

from django.db import connection

from ..engine.profiles import NEIGHBOURHOOD
from ..engine.vectors import SparseVector
from ..models import ArticleVector, TopicPosting
from .articles import Indexed, indexed

QUERY_TERMS = 32
POSTINGS_PER_TERM = 200
CANDIDATES = 100
TOPIC_CANDIDATES = 20

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
        CASE WHEN min(pool.r) <= %(neighbourhood)s THEN v.vector END, min(pool.r), v.names
    FROM pool JOIN related_articlevector v ON v.article_id = pool.article_id
    GROUP BY v.article_id
"""


def candidates(query: Indexed) -> tuple[list[Indexed], list[int]]:
    """The candidate pool of ``query``, with profiles and names (and, for the ``NEIGHBOURHOOD`` best
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
        "neighbourhood": NEIGHBOURHOOD,
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_POOL_SQL, params)
            rows = cursor.fetchall()
        pool, ranks = [], []
        for pk, path, published, topic_ids, profile, vector, rank, names in rows:
            # The vector is NULL outside the best NEIGHBOURHOOD by the index.
            pool.append(
                Indexed.from_columns(pk, path, published, topic_ids, vector or None, profile, names)
            )
            ranks.append(rank)
        best = sorted(
            (i for i, rank in enumerate(ranks) if rank is not None and pool[i].vector),
            key=ranks.__getitem__,
        )
        return pool, best
    return _candidates_portable(query, params)


def _candidates_portable(query: Indexed, params: dict) -> tuple[list[Indexed], list[int]]:
    """``candidates`` for databases without LATERAL joins (SQLite in development)."""
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
    best = [position[pk] for pk in scored[:NEIGHBOURHOOD] if pk in position]
    return pool, best


def load_vectors(pool: list[Indexed], positions: list[int]) -> None:
    """Loads the plain vectors of the pool entries at ``positions`` that lack one."""
    missing = [pool[i].pk for i in positions if pool[i].vector is None]
    if not missing:
        return
    vectors = dict(ArticleVector.objects.filter(pk__in=missing).values_list("pk", "vector"))
    for i in positions:
        if pool[i].vector is None:
            pool[i].vector = SparseVector.from_bytes(bytes(vectors[pool[i].pk]))
