"""Writes of "Mehr zum Thema": index one article, drop one, rebuild everything.

Every service is idempotent: running it twice leaves the same rows. The engine (engine.py)
does the maths; this module loads articles, keeps the index tables in step and maintains
the stored lists (models.py).

One article, on publish (``related_index_article``), with a few indexed queries:

1. analyse the text; look up its terms (creating new ones); a first publication adds to the
   document frequencies and corpus totals (edits and unpublishing do not subtract: the drift
   is one count per term and the next rebuild removes it). Unlike the batch, terms no other
   article has yet are kept, since later articles can find this one only through them;
   stored vectors keep the statistics of their day until ``redaktion related rebuild``;
2. candidates: the articles whose profiles hold the article's ``QUERY_TERMS`` heaviest terms
   (``POSTINGS_PER_TERM`` best postings per term), best ``CANDIDATES`` by summed weight, plus
   the newest ``TOPIC_CANDIDATES`` sharing a topic;
3. its profile from its neighbours among the candidates (two rounds, as in the batch), its
   similarity to every candidate, its list = the best ``LIST_LENGTH``;
4. the older articles learn about it: wherever its similarity beats the last entry of a
   candidate's list (or the list is short), it goes in and the last entry goes out.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from redaktion.news.blocks import body_text
from redaktion.news.models import ArticlePage, TaggedArticle

from . import engine
from .models import ArticleVector, CorpusState, Posting, Suggestion, Term

QUERY_TERMS = 32
POSTINGS_PER_TERM = 200
CANDIDATES = 300
TOPIC_CANDIDATES = 100
POSTING_TERMS = 24
REBUILD_POOL = 50
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
    existing = dict(Term.objects.filter(text__in=terms).values_list("text", "id"))
    missing = [Term(text=t) for t in terms if t not in existing]
    if missing:
        Term.objects.bulk_create(missing, ignore_conflicts=True)
        existing = dict(Term.objects.filter(text__in=terms).values_list("text", "id"))
    state, _ = CorpusState.objects.get_or_create(pk=1)
    if first_time:
        Term.objects.filter(id__in=existing.values()).update(df=F("df") + 1)
        stems, grams = analysis.lengths
        CorpusState.objects.filter(pk=1).update(
            documents=F("documents") + 1,
            stem_length=F("stem_length") + stems,
            gram_length=F("gram_length") + grams,
        )
        state.refresh_from_db()
    df_by_text = dict(Term.objects.filter(text__in=terms).values_list("text", "df"))
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
    df = np.fromiter((df_by_text.get(t, 0) for t in terms), dtype=np.int64, count=len(terms))
    # A term the corpus has not seen elsewhere yet keeps its weight: the next articles may
    # share it, and they can only find this one through it.
    weighted = engine.weigh_counts(matrix, grams, df, stats, min_df=1)
    ids = np.array([existing[terms[c]] for c in weighted.indices], dtype=np.int64)
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


def _candidate_ids(query: Indexed) -> list[int]:
    top = query.vector.top(QUERY_TERMS)
    ids, weights = top.ids.tolist(), top.weights.tolist()
    scored: list[int] = []
    if ids:
        if connection.vendor == "postgresql":
            sql = """
                SELECT p.article_id FROM unnest(%s::bigint[], %s::float8[]) AS q(term, w)
                CROSS JOIN LATERAL (
                    SELECT article_id, weight FROM related_posting
                    WHERE term_id = q.term ORDER BY weight DESC LIMIT %s
                ) p
                WHERE p.article_id <> %s
                GROUP BY p.article_id ORDER BY SUM(q.w * p.weight) DESC LIMIT %s
            """
            params = [ids, weights, POSTINGS_PER_TERM, query.pk, CANDIDATES]
        else:
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
                GROUP BY r.article_id ORDER BY SUM(q.w * r.weight) DESC LIMIT %s
            """  # noqa: S608 - only placeholders are interpolated
            params = [v for pair in zip(ids, weights, strict=True) for v in pair]
            params += [POSTINGS_PER_TERM, query.pk, CANDIDATES]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            scored = [row[0] for row in cursor.fetchall()]
    by_topic: list[int] = []
    if query.topics:
        by_topic = list(
            ArticleVector.objects.filter(article__tagged_items__tag_id__in=query.topics)
            .exclude(pk=query.pk)
            .order_by("-published_at")
            .values_list("pk", flat=True)
            .distinct()[:TOPIC_CANDIDATES]
        )
    return list(dict.fromkeys(scored + by_topic))


def _score(query: Indexed, pool: list[Indexed]) -> tuple[engine.SparseVector, np.ndarray]:
    """The query's profile and its similarity to every article of ``pool``."""
    if not pool:
        return query.vector, np.zeros(0)
    width = 1 + max(
        int(v.ids.max(initial=0))
        for v in [query.vector, *(p.vector for p in pool), *(p.profile for p in pool)]
    )
    raws = engine.stack([p.vector for p in pool], width)
    profiles = engine.stack([p.profile for p in pool], width)
    q_raw = engine.stack([query.vector], width)
    content = (raws @ q_raw.T).toarray().ravel()
    for _ in range(engine.ROUNDS):
        nearest = np.argsort(-content, kind="stable")[: engine.NEIGHBOURHOOD]
        nearest = [i for i in nearest if content[i] > 0]
        query_profile = engine.profile(query.vector, [pool[i].vector for i in nearest], width)
        content = (profiles @ engine.stack([query_profile], width).T).toarray().ravel()
    scores = np.array(
        [
            engine.similarity(
                float(content[i]),
                engine.topic_overlap(query.topics, other.topics),
                other.ressort_path == query.ressort_path,
            )
            if content[i] > 0 or engine.topic_overlap(query.topics, other.topics) > 0
            else 0.0
            for i, other in enumerate(pool)
        ]
    )
    return query_profile, scores


def compute_list(query: Indexed) -> tuple[list[Indexed], engine.SparseVector, np.ndarray]:
    """Read-only part of indexing: candidates, the query's profile and its similarity to
    each candidate. Two or three queries (postings, topic candidates, their vectors)."""
    candidate_ids = _candidate_ids(query)
    pool = [indexed(row) for row in ArticleVector.objects.filter(pk__in=candidate_ids)]
    query_profile, scores = _score(query, pool)
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


def related_rebuild(*, progress: Progress | None = None) -> dict:
    """Recomputes terms, vectors, profiles, postings and every list from the published
    articles, in one transaction. ``progress(stage, done, total)`` reports the stages.

    The lists come from each article's ``REBUILD_POOL`` nearest articles by content,
    re-scored with topics and Ressort (engine.similarity)."""
    started = time.perf_counter()
    report = progress or (lambda stage, done, total: None)
    rows = list(
        published_articles()
        .order_by("pk")
        .values_list("pk", "path", "first_published_at", "title", "kicker", "lead")
    )
    total = len(rows)
    topics = _topics_of(row[0] for row in rows) if rows else {}
    done = [0]

    def documents():
        for start in range(0, total, BATCH):
            chunk = rows[start : start + BATCH]
            bodies = dict(
                ArticlePage.objects.filter(pk__in=[r[0] for r in chunk]).values_list("pk", "body")
            )
            for pk, _path, _published, title, kicker, lead in chunk:
                yield _document(title, kicker, lead, bodies[pk])
                done[0] += 1
                if done[0] % 100 == 0 or done[0] == total:
                    report("analyse", done[0], total)

    corpus = engine.fit(documents())
    report("neighbours", 0, total)
    pool, content = corpus.nearest(REBUILD_POOL) if total else (np.zeros((0, 0)), None)
    report("neighbours", total, total)
    with transaction.atomic():
        # Plain DELETEs: Django's cascade collector would load every row first.
        for model in (Suggestion, Posting, ArticleVector, Term):
            model.objects.all()._raw_delete(model.objects.db)
        keep = np.flatnonzero(corpus.df >= engine.MIN_DF)
        for start in range(0, len(keep), 10 * BATCH):
            Term.objects.bulk_create(
                Term(id=int(c) + 1, text=corpus.terms[c], df=int(corpus.df[c]))
                for c in keep[start : start + 10 * BATCH]
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
        suggestions = 0
        for start in range(0, total, BATCH):
            stop = min(start + BATCH, total)
            vectors, postings, lists = [], [], []
            for i in range(start, stop):
                pk, path, published, *_ = rows[i]
                raw = _shift(engine.row(corpus.raw, i))
                profile = _shift(engine.row(corpus.profiles, i))
                vectors.append(
                    ArticleVector(
                        article_id=pk,
                        ressort_path=_ressort_path(path),
                        published_at=published,
                        topic_ids=",".join(map(str, topics.get(pk, []))),
                        vector=raw.to_bytes(),
                        profile=profile.to_bytes(),
                    )
                )
                postings += _postings(pk, profile)
                lists += _rebuilt_list(i, rows, topics, pool[i], content[i])
            ArticleVector.objects.bulk_create(vectors)
            Posting.objects.bulk_create(postings, batch_size=BATCH)
            Suggestion.objects.bulk_create(lists, batch_size=BATCH)
            suggestions += len(lists)
            report("store", stop, total)
    return {
        "articles": total,
        "suggestions": suggestions,
        "seconds": time.perf_counter() - started,
    }


def _shift(vector: engine.SparseVector) -> engine.SparseVector:
    """Corpus columns → Term ids (column + 1)."""
    return engine.SparseVector(vector.ids + 1, vector.weights)


def _rebuilt_list(i, rows, topics, neighbours, content) -> list[Suggestion]:
    pk, path = rows[i][0], _ressort_path(rows[i][1])
    mine = topics.get(pk, [])
    scored = []
    for j, cosine in zip(neighbours, content, strict=True):
        if j < 0:
            continue
        other = rows[j]
        score = engine.similarity(
            float(cosine),
            engine.topic_overlap(mine, topics.get(other[0], [])),
            _ressort_path(other[1]) == path,
        )
        scored.append((score, other[0]))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [
        Suggestion(article_id=pk, suggested_id=other, score=score)
        for score, other in scored[: engine.LIST_LENGTH]
    ]


def _reset_sequence(model) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), [model])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
