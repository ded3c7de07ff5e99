"""What every search index backend shares: the rows it stores, the questions it answers and
the planning that does not depend on the database.

``Backend`` stores the pre-analysed tokens (``analysis.tokens``) of an article in four
weighted fields (A headline, B kicker and lead, C body, D topic names) and answers with one
query each: a page of ranked ids with the total and the facet counts (``search_page``),
suggestions for a prefix, and the compound widening of query words (``expand``); ``search``
adds the any-word fallback and the second stage of the ranking to ``search_page``. Here is
what is the same on every database: the widening, the filters, the facet rows, the
parameters of the score and the match query (each engine names its operators). The table names are
attributes so that ``redaktion search eval`` can run the very same SQL on temporary
tables.

Matching: every word must match (its stem or one of its compounds); a quoted phrase must
match as consecutive stems, ignoring the stopwords between its words.
"""

# SQL is built from table and column names that are attributes of these classes; every
# value (words, ids, dates) is a query parameter.
# ruff: noqa: S608

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection as default_connection

from ..analysis import (
    COMPOUND_MIN_PART,
    COMPOUND_MIN_STEM,
    Query,
    compound_parts,
    form_variants,
    inflection_variants,
    split_points,
)

# Compounds a query word is widened to at most (shortest first); candidates read per word.
MAX_EXPANSIONS = 40
CANDIDATES_PER_WORD = 200
# Facet counts cover the newest MATCH_CAP matches, so that a query that matches a large
# part of a million articles stays bounded. The total is always exact.
MATCH_CAP = 5000
# Proximity: query words as typed (two to NEAR_WORDS_MAX of them) within NEAR_DISTANCE words
# of each other, or next to each other, raise the score by a share (RankWeights).
NEAR_DISTANCE = 5
NEAR_WORDS_MAX = 4
# The second stage (``Backend.rerank``) reorders the first RERANK_DEPTH results of the score
# by where the query's words first stand in the article: headline, lead, then the first
# RANK_BODY_TOKENS index words of the body (further down, the opening weighs nothing).
RERANK_DEPTH = 50
# The top of the text, which ranks: on PostgreSQL the score and the proximity tests read it
# (the ranking profile, postgres.py), on both databases the second stage. A news text says
# what it is about at the top; on wikinews-de.jsonl the profile of 100 words gives MRR@10
# 0.7254 against 0.7199 for the whole text (profiles of 40 to 150 words: 0.721 to 0.727, so
# 100 is no sharp peak). Which articles match is decided on the whole text.
RANK_BODY_TOKENS = 100


@dataclass(frozen=True)
class RankWeights:
    """The parameters of the relevance score, chosen on the tuning part of
    ``redaktion search eval`` (docs/benchmarks.md):

    score = (Σ over query words of BM25(word and its forms)
             + compound · coverage · BM25(its compounds)
             + Σ over phrases of BM25(phrase))
            · (1 + near · [words within NEAR_DISTANCE] + adjacent · [words side by side]
                 + every · [every word, in the any-word fallback])
            · recency factor, only when no result of the query is a strong match
            · (1 + opening · mean over words and phrases of exp(−first position / opening_decay)),
              the second stage, for the first RERANK_DEPTH results only

    BM25 is computed over the fields (headline, lead, body, topics) with the field weights
    of each backend; ``coverage`` is the mean share of a compound's letters that the query
    word covers (``haushalt`` covers 8 of the 14 of ``bundeshaushalt``): a compound whose
    head is the query word is about it, the more so the less the other part adds. A strong
    match has every word as typed within NEAR_DISTANCE of each other (one word: in the
    headline or lead), or the phrase. The first position of a word (its forms and
    compounds) counts in headline, lead and the top of the body, in that order: a word of the
    headline counts in full, one that first appears twenty words down a seventh; a
    known-item search names what the article is about, and an article names it at the top.
    """

    # MRR@10 on the tuning part of wikinews-de.jsonl (docs/benchmarks.md): 0.7216 as set;
    # compound 0.3 gives 0.7272, inside the interval of ±0.035, but at 1.0 a compound counts
    # by its coverage alone, so that an article about the Bundeshaushalt outranks one that
    # names a Haushalt in passing; 2.0 falls to 0.699. With compound 1.0, closeness 1 and
    # every-word 2 are the tuning part's best (every-word 5: 0.7191).
    compound: float = 1.0
    near: float = 1.0
    adjacent: float = 1.0
    every: float = 2.0
    # The second stage, chosen on the tuning part of both databases (docs/benchmarks.md):
    # MRR@10 0.7216 → 0.7421 (SQLite) and 0.7263 → 0.7398 (PostgreSQL); decays of 7 to 30
    # words and shares of 0.5 to 3 all score between 0.737 and 0.744 on either database.
    opening: float = 1.0
    opening_decay: float = 10.0


@dataclass
class IndexRow:
    """One article as the index stores it; the four text fields are token lists."""

    article_id: int
    ressort_id: int
    published_at: datetime
    year: int
    topic_ids: list[int]
    author_ids: list[int]
    headline: list[str]
    lead: list[str]
    body: list[str]
    topics: list[str]


@dataclass
class Filters:
    ressort_id: int | None = None
    topic_id: int | None = None
    author_id: int | None = None
    published_from: datetime | None = None
    published_before: datetime | None = None
    exclude_ids: Sequence[int] = ()


@dataclass
class Ranking:
    """``order`` is ``relevance`` or ``date``; the recency factor needs ``now``."""

    now: datetime
    order: str = "relevance"
    recency_weight: float = 0.0
    half_life_days: float = 365.0
    weights: RankWeights = field(default_factory=RankWeights)
    # Editors' boosts of this query: article id → factor of its score.
    boosts: dict[int, float] = field(default_factory=dict)


@dataclass
class Facets:
    """The number of matches (exact) and their counts per Ressort, year, topic and author,
    which cover the newest ``counted`` of them (all of them up to ``MATCH_CAP``)."""

    total: int = 0
    counted: int = 0
    ressorts: dict[int, int] = field(default_factory=dict)
    years: dict[int, int] = field(default_factory=dict)
    topics: dict[int, int] = field(default_factory=dict)
    authors: dict[int, int] = field(default_factory=dict)


FACET_KINDS = {1: "ressorts", 2: "years", 3: "topics", 4: "authors"}


def split_score(documents: dict[str, int], firsts: Sequence[str], head: str) -> float:
    """How probable the reading first part + ``head`` is (Koehn and Knight 2003): the
    geometric mean of the parts' numbers of documents (``documents``), the first part's
    best reading of ``firsts`` (with or without its linking element); 0 unless both are
    words of the index on their own."""
    first = max((documents.get(p, 0) for p in firsts), default=0)
    return math.sqrt(first * documents.get(head, 0))


def _stems_of(option) -> tuple[str, ...]:
    return (option,) if isinstance(option, str) else tuple(option)


def _first_of(option, seen: dict[str, int]) -> float:
    """Where a widening option first stands: a stem's first position; for stems that must
    all be there (a split compound, a phrase), where the last of them first appears."""
    positions = [seen.get(stem, math.inf) for stem in _stems_of(option)]
    return max(positions)


class Backend(ABC):
    vendor = ""
    document_table = "suche_searchdocument"
    term_table = "suche_searchterm"
    # The engine's query language: a term ("{}" is the stem), "every one of", "any one of".
    TERM: str
    ALL: str
    ANY: str
    # A compound ends with the query word, so the vocabulary is read by the prefix of the
    # reversed term: the operator and wildcard that use its index, and how one word's
    # SELECT stands in a UNION ALL ("{}" is the SELECT).
    PREFIX_MATCH: tuple[str, str]
    UNION_MEMBER: str

    def __init__(self, connection=None, **tables):
        """``tables``: other names for ``document_table``, ``term_table`` (and on SQLite
        ``fts_table``), for ``redaktion search eval``; unknown names are ignored."""
        self.connection = connection or default_connection
        for name, value in tables.items():
            if name.endswith("_table") and hasattr(self, name):
                setattr(self, name, value)

    @abstractmethod
    def create_tables(self, cursor, *, temporary: bool = False) -> None:
        """The tables for ``redaktion search eval`` (the migrations create the real ones)."""

    def drop_tables(self, cursor) -> None:
        """Drops the tables of ``create_tables`` (for ``redaktion search eval``)."""
        for name in self._tables():
            cursor.execute(f"DROP TABLE IF EXISTS {name}")

    def _tables(self) -> list[str]:
        return [self.document_table, self.term_table]

    # --- writing -------------------------------------------------------------------------

    def write(self, rows: Sequence[IndexRow]) -> None:
        """Inserts or replaces the rows (documents, their text and new vocabulary)."""
        if not rows:
            return
        with self.connection.cursor() as cursor:
            self._write_documents(cursor, rows)
            self._write_terms(cursor, rows)

    @abstractmethod
    def delete(self, article_ids: Sequence[int]) -> None: ...

    def analyse(self) -> None:  # noqa: B027 (a default that does nothing, not abstract)
        """Refreshes the statistics the ranking reads (the number of documents on
        PostgreSQL; autovacuum does it for the real table, ``redaktion search eval`` for its
        temporary ones)."""

    @abstractmethod
    def _write_documents(self, cursor, rows): ...

    @abstractmethod
    def _write_terms(self, cursor, rows):
        """Adds the terms of ``rows`` the vocabulary does not have yet."""

    # --- reading -------------------------------------------------------------------------

    def expand(self, query: Query) -> dict[str, list[str]]:
        """What each query word is widened to: stems of the vocabulary that end with the
        word (``wirtschaftsnachricht`` for ``nachricht``) where the first part is a word of
        the vocabulary too, allowing for a linking element (``s``, ``es``, ``n`` …); the head
        of a German compound carries its meaning (Wirtschaftsnachrichten are Nachrichten),
        while a compound that only begins with the word is about something else
        (``Deutschland`` for ``deutsch``, ``Unfallversicherung`` for ``Unfall``); and, for a
        compound query word, its two parts together (``passagierflugzeug`` also matches
        ``passagier`` and ``flugzeug``), as a ``(first, head)`` pair. Also the genitive forms
        ``inflection_variants`` finds in the vocabulary. A word of the vocabulary is one
        that at least one article has.

        A query word is split by the frequency rule of Koehn and Knight (2003): of the ways
        to read it as first part + head, both words of the index on their own, the one whose
        parts have the largest geometric mean of their numbers of documents
        (``split_score``), and only when that mean exceeds the number of documents of the
        whole word. A word the archive uses more often than its would-be parts is a word of
        its own: in news ``Hubschrauber`` is not ``hübsch`` + ``Raub``, ``Festnahme`` not
        ``fest`` + ``nahm``, while ``Passagierflugzeug`` is ``Passagier`` + ``Flugzeug``.
        Two queries (candidates, then the numbers of documents of the words and
        parts); the first only for words of four letters or more.
        """
        words = [w for w in query.words if len(w) >= COMPOUND_MIN_STEM and not w.isdigit()]
        candidates = self._compound_candidates(words) if words else []
        parts: dict[tuple[str, str], list[str]] = {}
        for word, term in candidates:
            parts[word, term] = compound_parts(term[: -len(word)])
        splits = {w: split_points(w) for w in words}
        variants = {w: inflection_variants(w) + form_variants(w) for w in query.words}
        needed = sorted(
            {w for w, points in splits.items() if points}
            | {p for options in parts.values() for p in options}
            | {p for points in splits.values() for firsts, head in points for p in (*firsts, head)}
            | {v for options in variants.values() for v in options}
        )
        documents = self._documents(needed) if needed else {}
        expansions: dict[str, list] = defaultdict(list)
        for word, options in variants.items():
            expansions[word] += [v for v in options if v in documents]
        for (word, term), options in sorted(parts.items(), key=lambda i: (len(i[0][1]), i[0])):
            if any(p in documents for p in options) and len(expansions[word]) < MAX_EXPANSIONS:
                expansions[word].append(term)
        for word, points in splits.items():
            scored = [
                (split_score(documents, firsts, head), firsts, head) for firsts, head in points
            ]
            score, firsts, head = max(scored, key=lambda s: s[0], default=(0.0, [], ""))
            if score > documents.get(word, 0):
                first = max(firsts, key=lambda p: documents.get(p, 0))
                expansions[word].append((first, head))
        return dict(expansions)

    def _compound_candidates(self, words: list[str]) -> list[tuple[str, str]]:
        """(word, term) for up to ``CANDIDATES_PER_WORD`` terms of the vocabulary that end
        with each word after at least ``COMPOUND_MIN_PART`` more letters. One query."""
        operator, wildcard = self.PREFIX_MATCH
        select = (
            f"SELECT %s, term FROM {self.term_table} WHERE reversed {operator} %s "
            f"AND length(term) >= %s LIMIT {CANDIDATES_PER_WORD}"
        )
        params = []
        for word in words:
            params += [word, word[::-1] + wildcard, len(word) + COMPOUND_MIN_PART]
        with self.connection.cursor() as cursor:
            cursor.execute(
                " UNION ALL ".join([self.UNION_MEMBER.format(select)] * len(words)), params
            )
            return cursor.fetchall()

    def _documents_column(self) -> tuple[str, str]:
        """(table, column) of each term's number of documents, by the column ``term``."""
        return self.term_table, "documents"

    def _documents(self, terms: list[str]) -> dict[str, int]:
        """Term → number of documents of those ``terms`` that are in at least one. One
        query."""
        table, column = self._documents_column()
        placeholders = ", ".join(["%s"] * len(terms))
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term, {column} FROM {table} WHERE term IN ({placeholders})", terms
            )
            return {term: documents for term, documents in cursor.fetchall() if documents}

    @classmethod
    def match_query(cls, query: Query, expansions: dict[str, list], any_word=False) -> str:
        """The engine's query for ``query``: each word as typed or any of its widenings
        (a compound split in two needs both parts), and each phrase; all of them, or with
        ``any_word`` any one."""

        groups = [cls.any_of([word, *expansions.get(word, [])]) for word in query.words]
        groups += [cls.phrase(stems) for stems in query.phrases]
        return (cls.ANY if any_word else cls.ALL).join(groups)

    @classmethod
    def any_of(cls, options: Sequence) -> str:
        """The engine's query for any one of ``options`` (a stem, or a pair of stems that
        must both be there)."""

        def option(o):
            if isinstance(o, str):
                return cls.TERM.format(o)
            return "(" + cls.ALL.join(cls.TERM.format(p) for p in o) + ")"

        return "(" + cls.ANY.join(option(o) for o in options) + ")"

    def summands(
        self, query: Query, expansions: dict[str, list], weights: RankWeights
    ) -> list[tuple[str, str, float]]:
        """(the word or phrase it is weighed by, engine query, factor) of each BM25 summand
        of the score (``RankWeights``): each word with its other forms (factor 1), its
        compounds (``compound`` times their coverage) and each phrase (factor 1)."""
        parts = []
        for word, (same, compounds, coverage) in zip(
            query.words, self.word_groups(query, expansions), strict=True
        ):
            parts.append((word, self.any_of(same), 1.0))
            if compounds and weights.compound:
                parts.append((word, self.any_of(compounds), weights.compound * coverage))
        parts += [(self.phrase(p), self.phrase(p), 1.0) for p in query.phrases]
        return parts

    @abstractmethod
    def strong_query(self, query: Query) -> str:
        """The engine's query for a strong match: every word as typed within
        NEAR_DISTANCE of each other, or the one word in the headline or lead; any phrase."""

    @staticmethod
    @abstractmethod
    def phrase(stems: Sequence[str]) -> str:
        """The engine's query for consecutive ``stems``."""

    @abstractmethod
    def search_page(
        self,
        query: Query,
        expansions: dict[str, list[str]],
        filters: Filters,
        ranking: Ranking,
        *,
        limit: int,
        offset: int = 0,
        any_word: bool = False,
    ) -> tuple[Facets, list[tuple[int, float]]]:
        """The number of matches (exact) with, among the newest ``MATCH_CAP`` of them, their
        counts per Ressort, year, topic and author (exact whenever there are fewer); and the
        (article id, score) of one page of matches, best first (or newest first)."""

    def search(
        self,
        query: Query,
        expansions: dict[str, list],
        filters: Filters,
        ranking: Ranking,
        *,
        limit: int,
        offset: int = 0,
        fewer_than: int | None = None,
    ) -> tuple[Facets, list[tuple[int, float]], bool]:
        """The matches of every word, or, when fewer than ``fewer_than`` (``limit`` unless
        given) have every word and the query has more than one, of any word (those with
        every word rank first); by relevance, their first RERANK_DEPTH reordered by the
        second stage (``rerank``). (facets, one page of (article id, score), whether it is
        the any-word search). One ``search_page`` or two, and for a page within the first
        RERANK_DEPTH results by relevance one query more (``first_positions``)."""
        reranked = (
            ranking.order == "relevance" and ranking.weights.opening and offset < RERANK_DEPTH
        )
        # The second stage reorders the first RERANK_DEPTH results as a whole, so that every
        # page is a slice of one order: those are read whichever page is asked for.
        page = (
            {"limit": max(RERANK_DEPTH, offset + limit), "offset": 0}
            if reranked
            else {"limit": limit, "offset": offset}
        )
        facets, ranked = self.search_page(query, expansions, filters, ranking, **page)
        any_word = False
        if facets.total < (fewer_than or limit) and len(query.words) + len(query.phrases) > 1:
            wider, wider_ranked = self.search_page(
                query, expansions, filters, ranking, any_word=True, **page
            )
            if wider.total > facets.total:
                facets, ranked, any_word = wider, wider_ranked, True
        if reranked and ranked:
            head = self.rerank(query, expansions, ranked[:RERANK_DEPTH], ranking.weights)
            ranked = (head + ranked[RERANK_DEPTH:])[offset : offset + limit]
        return facets, ranked, any_word

    def rerank(
        self,
        query: Query,
        expansions: dict[str, list],
        ranked: list[tuple[int, float]],
        weights: RankWeights,
    ) -> list[tuple[int, float]]:
        """``ranked`` (article id, score) reordered by the score times the opening factor
        (``RankWeights``); the factor is at least 1, so no article of ``ranked`` falls below
        one that follows it, and ties keep their order. One query."""
        groups = [same + compounds for same, compounds, _ in self.word_groups(query, expansions)]
        groups += [[tuple(stems)] for stems in query.phrases]
        terms = sorted({t for group in groups for o in group for t in _stems_of(o)})
        firsts = self.first_positions([pk for pk, _ in ranked], terms)

        def factor(pk: int) -> float:
            seen = firsts.get(pk, {})
            opening = sum(
                math.exp(-min(_first_of(o, seen) for o in group) / weights.opening_decay)
                for group in groups
            )
            return 1.0 + weights.opening * opening / len(groups)

        rescored = [(pk, score * factor(pk)) for pk, score in ranked]
        return sorted(rescored, key=lambda pair: -pair[1])

    @abstractmethod
    def first_positions(self, article_ids: list[int], terms: list[str]) -> dict[int, dict]:
        """Article id → term → the first position (0 for the first word) of each of
        ``terms`` in the article's headline, lead and first RANK_BODY_TOKENS words of the
        body, counted in that order; terms not there are left out. One query."""

    # The match is evaluated once (a): counted, and its newest MATCH_CAP rows (m) are sorted
    # from it; ordering the match itself by date with a LIMIT lets PostgreSQL walk the date
    # index and test every row's tsvector, far slower for frequent words.
    @staticmethod
    def _facet_cte() -> str:
        return f"m AS MATERIALIZED (SELECT * FROM a ORDER BY a.published_at DESC LIMIT {MATCH_CAP})"

    def _facet_rows(self, extra: str = "") -> str:
        """(kind, key, count[, extra]) rows of the total (kind 0) and the facet counts."""
        return f"""
            SELECT 0, 0, (SELECT count(*) FROM a){extra}
            UNION ALL SELECT 1, ressort_id, count(*){extra} FROM m GROUP BY ressort_id
            UNION ALL SELECT 2, year, count(*){extra} FROM m GROUP BY year
            UNION ALL {self._facet_of_list("topic_ids", 3, extra)}
            UNION ALL {self._facet_of_list("author_ids", 4, extra)}"""

    @staticmethod
    def _read_facets(rows) -> Facets:
        facets = Facets()
        for kind, key, count, *_ in rows:
            if kind == 0:
                facets.total = count
            elif kind in FACET_KINDS:
                getattr(facets, FACET_KINDS[kind])[int(key)] = count
        facets.counted = min(facets.total, MATCH_CAP)
        return facets

    @abstractmethod
    def suggestions(self, prefix: str, words: Sequence[str], *, limit: int) -> list[int]:
        """Ids of the newest articles whose headline has a word starting with ``prefix``
        (a normalised, unstemmed word) and the stems ``words``."""

    @abstractmethod
    def _facet_of_list(self, column: str, kind: int, extra: str = "") -> str: ...

    def _filters(self, filters: Filters) -> tuple[str, list]:
        clauses, params = [], []
        if filters.ressort_id is not None:
            clauses.append("d.ressort_id = %s")
            params.append(filters.ressort_id)
        for column, value in (("topic_ids", filters.topic_id), ("author_ids", filters.author_id)):
            if value is not None:
                clause, value_params = self._contains(column, value)
                clauses.append(clause)
                params += value_params
        if filters.published_from is not None:
            clauses.append("d.published_at >= %s")
            params.append(self._datetime(filters.published_from))
        if filters.published_before is not None:
            clauses.append("d.published_at < %s")
            params.append(self._datetime(filters.published_before))
        if filters.exclude_ids:
            clauses.append(f"d.article_id NOT IN ({', '.join(['%s'] * len(filters.exclude_ids))})")
            params += list(filters.exclude_ids)
        return "".join(f" AND {c}" for c in clauses), params

    @abstractmethod
    def _contains(self, column: str, value: int) -> tuple[str, list]: ...

    def _datetime(self, value: datetime):
        return value

    @staticmethod
    def word_groups(query: Query, expansions: dict[str, list]) -> list[tuple[list, list, float]]:
        """Per query word: (the word as typed with the forms of the same word that the
        widening found, its compounds and split parts, the mean coverage of the
        compounds). A compound ends with the word; a split pair (the query word is the
        compound) covers the share of the longer of its parts."""
        groups = []
        for word in query.words:
            same, compounds, coverages = [word], [], []
            for option in expansions.get(word, []):
                if isinstance(option, str) and not (
                    option.endswith(word) and len(option) - len(word) >= COMPOUND_MIN_PART
                ):
                    same.append(option)
                    continue
                compounds.append(option)
                if isinstance(option, str):
                    coverages.append(len(word) / len(option))
                else:
                    coverages.append(max(len(p) for p in option) / len(word))
            coverage = sum(coverages) / len(coverages) if coverages else 0.0
            groups.append((same, compounds, coverage))
        return groups

    def boosts(self, query: Query, expansions, any_word: bool, weights: RankWeights):
        """(engine query, factor, on the whole text) of each test whose match raises the
        score by ``factor`` times itself (``RankWeights``); tests on the whole text are
        those of the any-word fallback, the others read the ranking profile."""
        tests = []
        near = self.near_words(query)
        if near:
            tests += [
                (self.near(near, NEAR_DISTANCE), weights.near, False),
                (self.near(near, 1), weights.adjacent, False),
            ]
        if any_word:
            tests.append((self.match_query(query, expansions), weights.every, True))
        return [t for t in tests if t[1]]

    @staticmethod
    @abstractmethod
    def near(words: Sequence[str], distance: int) -> str:
        """The engine's query for every two of ``words`` within ``distance`` words."""

    @staticmethod
    def near_words(query) -> list[str]:
        """The words whose closeness raises the score (two to four words as typed)."""
        return query.words if 1 < len(query.words) <= NEAR_WORDS_MAX else []

    @staticmethod
    def _boost(ranking: Ranking) -> tuple[str, list]:
        """The factor of the editors' boosts of ``ranking`` for the row ``d``."""
        if not ranking.boosts:
            return "1.0", []
        cases = " ".join(["WHEN %s THEN %s"] * len(ranking.boosts))
        params = [value for pair in sorted(ranking.boosts.items()) for value in pair]
        return f"(CASE d.article_id {cases} ELSE 1.0 END)", params

    def _order(self, ranking: Ranking, score: str) -> str:
        if ranking.order == "date":
            return "d.published_at DESC, d.article_id DESC"
        return f"{score} DESC, d.published_at DESC, d.article_id DESC"
