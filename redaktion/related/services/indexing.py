"""Indexing one article, on publish (``related_index_article``), with a few indexed queries
(about 20 ms p95 for the list and 90 ms p95 for the whole update at 1,000,000 indexed
articles, see docs/benchmarks.md):

1. analyse the text; look up its terms (creating new ones); a first publication adds to the
   document frequencies and corpus totals (edits and unpublishing do not subtract: the drift
   is one count per term and the next rebuild removes it). Unlike the batch, terms no other
   article has yet are kept, since later articles can find this one only through them;
   stored vectors keep the statistics of their day until ``redaktion related rebuild``;
2. candidates, in one query on PostgreSQL (``candidates.py``): the articles whose profiles
   hold the article's ``QUERY_TERMS`` heaviest terms (``POSTINGS_PER_TERM`` best postings
   per term, read from a covering index), best ``CANDIDATES`` by summed weight, plus the
   newest ``TOPIC_CANDIDATES`` per shared topic (``TopicPosting``), with their stored
   profiles;
3. its profile from its neighbours among the candidates (two rounds, as in the batch: the
   first by the index's scores, the second by profile; one more query loads the vectors of
   the second round's neighbours), its similarity to every candidate (content, shared
   names, topics, Ressort), its list = the best ``LIST_LENGTH``; its names come from its
   text and the common words the last rebuild learned (one query, ``article_names``);
4. the older articles learn about it: wherever its similarity beats the last entry of a
   candidate's list (or the list is short), it goes in and the last entry goes out.

Taking an article out, and refilling the lists that held it, is here too.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from django.db import transaction
from django.db.models import F

from redaktion.news.listings import ressort_path

from ..engine.names import joined_names
from ..engine.profiles import NEIGHBOURHOOD, ROUNDS, profile
from ..engine.scoring import LIST_LENGTH, similarity, topic_overlap
from ..engine.terms import Analysis, CorpusStats, analyse, is_gram, weigh_counts
from ..engine.vectors import SparseVector, stack
from ..models import ArticleVector, CorpusState, Posting, Suggestion, Term, TopicPosting
from .articles import (
    Indexed,
    article_names,
    document,
    indexed,
    published_articles,
    topics_of,
)
from .candidates import candidates, load_vectors

# The heaviest profile terms of an article that the inverted index (``Posting``) holds.
POSTING_TERMS = 24


def related_index_article(*, article_id: int) -> int:
    """(Re)computes the article's vector, profile and list and updates the lists it now
    belongs in. An article that is not published (draft, unpublished, private, deleted) is
    removed from the index instead. Returns the length of its list."""
    article = published_articles().filter(pk=article_id).first()
    if article is None:
        related_remove_article(article_id=article_id)
        return 0
    text = document(article.title, article.kicker, article.lead, article.body)
    analysis = analyse(text)
    with transaction.atomic():
        vector = _vectorise(analysis, first_time=not _is_indexed(article_id))
        query = Indexed(
            pk=article.pk,
            ressort_path=ressort_path(article.path),
            published_at=article.first_published_at,
            topics=topics_of([article.pk]).get(article.pk, []),
            vector=vector,
            names=article_names(text),
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


def _vectorise(analysis: Analysis, *, first_time: bool) -> SparseVector:
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
    stats = CorpusStats(
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
    grams = np.fromiter((is_gram(t) for t in terms), dtype=bool, count=len(terms))
    df = np.fromiter((found[t][1] for t in terms), dtype=np.int64, count=len(terms))
    # A term the corpus has not seen elsewhere yet keeps its weight: the next articles may
    # share it, and they can only find this one through it.
    weighted = weigh_counts(matrix, grams, df, stats, min_df=1)
    ids = np.array([found[terms[c]][0] for c in weighted.indices], dtype=np.int64)
    return SparseVector.from_mapping(dict(zip(ids.tolist(), weighted.data.tolist(), strict=True)))


def _score(query: Indexed, pool: list[Indexed], best: list[int]) -> tuple[SparseVector, np.ndarray]:
    """The query's profile and its similarity to every article of ``pool``.

    As in the batch (``engine.corpus.smooth``): the profile is the query's vector plus the
    mean of its neighbours' vectors, in ``ROUNDS`` rounds. The first neighbours are the best
    candidates by the inverted index (``best``); later rounds take the nearest candidates by
    profile (their vectors are loaded by one more query when the pool lacks them)."""
    if not pool:
        return query.vector, np.zeros(0)
    width = 1 + max(int(v.ids.max(initial=0)) for v in [query.vector, *(p.profile for p in pool)])
    profiles = stack([p.profile for p in pool], width)
    nearest = best[:NEIGHBOURHOOD]
    content = np.zeros(len(pool))
    for round_ in range(ROUNDS):
        if round_:
            order = np.argsort(-content, kind="stable")[:NEIGHBOURHOOD]
            nearest = [int(i) for i in order if content[i] > 0]
            load_vectors(pool, nearest)
        width = max(
            width, 1 + max((int(pool[i].vector.ids.max(initial=0)) for i in nearest), default=0)
        )
        query_profile = profile(query.vector, [pool[i].vector for i in nearest], width)
        profiles.resize((len(pool), width))
        content = (profiles @ stack([query_profile], width).T).toarray().ravel()
    scores = np.zeros(len(pool))
    query_names = set(query.names)
    for i, other in enumerate(pool):
        topics = topic_overlap(query.topics, other.topics)
        if content[i] > 0 or topics > 0:
            scores[i] = similarity(
                float(content[i]),
                topics,
                other.ressort_path == query.ressort_path,
                topic_overlap(query_names, other.names),
            )
    return query_profile, scores


def compute_list(query: Indexed) -> tuple[list[Indexed], SparseVector, np.ndarray]:
    """Read-only part of indexing: candidates, the query's profile and its similarity to
    each candidate. Two queries on PostgreSQL (the pool; the vectors of the second round's
    neighbours that the pool lacks)."""
    pool, best = candidates(query)
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
            "names": joined_names(query.names),
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
    best = [(pool[i].pk, float(scores[i])) for i in order[:LIST_LENGTH] if scores[i] > 0]
    Suggestion.objects.filter(article_id=query.pk).delete()
    Suggestion.objects.bulk_create(
        Suggestion(article_id=query.pk, suggested_id=pk, score=score) for pk, score in best
    )
    _offer(query.pk, {pool[i].pk: float(scores[i]) for i in range(len(pool)) if scores[i] > 0})
    return len(best)


def _postings(article_id: int, query_profile: SparseVector) -> list[Posting]:
    top = query_profile.top(POSTING_TERMS)
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
        if len(entries) < LIST_LENGTH:
            new.append(Suggestion(article_id=owner, suggested_id=article_id, score=score))
        else:
            weakest = min(entries)
            if score > weakest[0]:
                new.append(Suggestion(article_id=owner, suggested_id=article_id, score=score))
                dropped.append(weakest[1])
    Suggestion.objects.filter(pk__in=dropped).delete()
    Suggestion.objects.bulk_create(new)
