"""SQL of the search index, one class per database: PostgreSQL full text and SQLite FTS5.

Both store the same pre-analysed tokens (``analysis.tokens``) in four weighted fields and
answer the same questions with one query each: a page of ranked ids, the total with the
facet counts (both in one query on PostgreSQL, ``search_page``, so that the match is
evaluated once), suggestions for a prefix, and the compound widening of query words. The
table names are attributes so that ``redaktion search eval`` can run the very same SQL on
temporary tables.

Scores (higher is better), multiplied by the recency factor
``(1 - w) + w * 0.5 ** (age_days / half_life)``:

* PostgreSQL: ``ts_rank`` with the weights D 0.1, C 0.2, B 0.4, A 1.0 (headline > lead >
  body > topics) and length normalisation 1 (divided by 1 + log of the document length),
  computed on the article's ranking profile: headline, lead, topics and the first
  ``RANK_BODY_TOKENS`` words of the body (matching always covers the whole text);
* SQLite: FTS5's ``bm25`` with column weights 10, 4, 2, 1 (same order). BM25 also weighs
  rare words over common ones, which ``ts_rank`` cannot; the order of the fields is the same.

Matching: every word must match (its stem or one of its compounds); a quoted phrase must
match as consecutive stems. PostgreSQL checks phrases with positions (``<->``), FTS5 with
its phrase syntax; both ignore the stopwords between the words of a phrase.
"""

# SQL is built from table and column names that are attributes of these classes; every
# value (words, ids, dates) is a query parameter.
# ruff: noqa: S608

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection as default_connection

from .analysis import (
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
# Results whose query words (as typed, two to four of them) stand within NEAR_DISTANCE
# words of each other come first: they are most likely about what was asked.
NEAR_DISTANCE = 5
NEAR_WORDS_MAX = 4
# On PostgreSQL the relevance ranking covers the newest RANK_CAP matches: ranking reads each
# ranked document's tsvector (about 60 µs each at a million articles), so a query that
# matches tens of thousands of articles ranks its newest thousand, as many results as the
# pages a reader can open (selectors.MAX_PAGES of PAGE_SIZE); total and facets cover more.
RANK_CAP = 1000
# On PostgreSQL the document frequency of a word is read from the vocabulary (kept exact by
# triggers); that of a quoted phrase is counted on the GIN index, up to DF_CAP: phrases in
# more documents than that weigh alike, and counting them costs a fixed, small time.
DF_CAP = 1000
# The relevance score counts the query words as typed (BM25 on SQLite, IDF-weighted ts_rank
# on PostgreSQL) plus this share of the score of everything the widening matched
# (compounds, other forms): a rare compound must not outweigh the word that was asked for,
# the widening only decides between results that are otherwise alike.
WIDENED_SHARE = 0.3
# On PostgreSQL the score and the proximity tiers read a second, short tsvector per article
# (the ranking profile): headline, lead, topics and the first RANK_BODY_TOKENS index words
# of the body. A news text says what it is about at the top; reading the whole text's
# tsvector (2.5 kB on average, out of line) for each of up to RANK_CAP ranked matches cost
# two thirds of a search at a million articles, and its ranking was no better: on
# wikinews-de.jsonl the profile of 100 words gives MRR@10 0.7254 against 0.7199 for the
# whole text (profiles of 40 to 150 words: 0.721 to 0.727, so 100 is no sharp peak). Which
# articles match, and the tiers of the any-word fallback (every word or only some), are
# decided on the whole text.
RANK_BODY_TOKENS = 100


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


@dataclass
class Facets:
    total: int = 0
    ressorts: dict[int, int] = field(default_factory=dict)
    years: dict[int, int] = field(default_factory=dict)
    topics: dict[int, int] = field(default_factory=dict)
    authors: dict[int, int] = field(default_factory=dict)


FACET_KINDS = {1: "ressorts", 2: "years", 3: "topics", 4: "authors"}
# The kind of the rows that carry the page in PostgresBackend.search_page's result.
PAGE_ROWS = 5


def _naive_utc(value: datetime) -> datetime:
    from datetime import UTC

    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


class Backend:
    vendor = ""
    document_table = "suche_searchdocument"
    term_table = "suche_searchterm"

    def __init__(self, connection=None, **tables):
        """``tables``: other names for ``document_table``, ``term_table`` (and on SQLite
        ``fts_table``), for ``redaktion search eval``; unknown names are ignored."""
        self.connection = connection or default_connection
        for name, value in tables.items():
            if name.endswith("_table") and hasattr(self, name):
                setattr(self, name, value)

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

    def delete(self, article_ids: Sequence[int]) -> None:
        raise NotImplementedError

    def analyse(self) -> None:
        """Refreshes the statistics the ranking reads (the number of documents on
        PostgreSQL; autovacuum does it for the real table, ``redaktion search eval`` for its
        temporary ones)."""

    def _write_documents(self, cursor, rows):
        raise NotImplementedError

    def _write_terms(self, cursor, rows):
        """Adds the terms of ``rows`` the vocabulary does not have yet."""
        raise NotImplementedError

    # --- reading -------------------------------------------------------------------------

    def expand(self, query: Query) -> dict[str, list[str]]:
        """What each query word is widened to: stems of the vocabulary that end with the
        word (``wirtschaftsnachricht`` for ``nachricht``) where the first part is a word of
        the vocabulary too, allowing for a linking element (``s``, ``es``, ``n`` …); the head
        of a German compound carries its meaning (Wirtschaftsnachrichten are Nachrichten),
        while a compound that only begins with the word is about something else
        (``Deutschland`` for ``deutsch``, ``Unfallversicherung`` for ``Unfall``); and, for a
        compound query word, its two parts together (``passagierflugzeug`` also matches
        ``passagier`` and ``flugzeug``), as a ``(first, head)`` pair: the longest head that
        is a word of the vocabulary after a first part that is one too. Two queries
        (candidates, then the check of the parts); the first only for words of four letters
        or more. Also the genitive forms ``inflection_variants`` finds in the vocabulary.
        """
        words = [w for w in query.words if len(w) >= COMPOUND_MIN_STEM and not w.isdigit()]
        candidates = self._compound_candidates(words) if words else []
        parts: dict[tuple[str, str], list[str]] = {}
        for word, term in candidates:
            parts[word, term] = compound_parts(term[: -len(word)])
        splits = {w: split_points(w) for w in words}
        variants = {w: inflection_variants(w) + form_variants(w) for w in query.words}
        needed = sorted(
            {p for options in parts.values() for p in options}
            | {p for points in splits.values() for firsts, head in points for p in (*firsts, head)}
            | {v for options in variants.values() for v in options}
        )
        known = self._known_terms(needed) if needed else set()
        expansions: dict[str, list] = defaultdict(list)
        for word, options in variants.items():
            expansions[word] += [v for v in options if v in known]
        for (word, term), options in sorted(parts.items(), key=lambda i: (len(i[0][1]), i[0])):
            if any(p in known for p in options) and len(expansions[word]) < MAX_EXPANSIONS:
                expansions[word].append(term)
        for word, points in splits.items():
            for firsts, head in points:
                first = next((p for p in firsts if p in known), None)
                if first and head in known:
                    expansions[word].append((first, head))
                    break
        return dict(expansions)

    def _compound_candidates(self, words: list[str]) -> list[tuple[str, str]]:
        raise NotImplementedError

    def _known_terms(self, terms: list[str]) -> set[str]:
        placeholders = ", ".join(["%s"] * len(terms))
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term FROM {self.term_table} WHERE term IN ({placeholders})",
                terms,
            )
            return {row[0] for row in cursor.fetchall()}

    def facets(
        self,
        query: Query,
        expansions: dict[str, list[str]],
        filters: Filters,
        *,
        any_word: bool = False,
    ) -> Facets:
        """The number of matches (exact) and, among the newest ``MATCH_CAP`` of them, their
        counts per Ressort, year, topic and author (exact whenever there are fewer)."""
        match_from, match_where, params = self._match(query, expansions, any_word)
        where, filter_params = self._filters(filters)
        sql = f"""
            WITH a AS MATERIALIZED (
                SELECT d.ressort_id, d.year, d.topic_ids, d.author_ids, d.published_at
                FROM {match_from} WHERE {match_where}{where}
            ), {self._facet_cte()}
            {self._facet_rows()}
        """
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*params, *filter_params])
            return self._read_facets(cursor.fetchall())

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
        """``facets`` and the (article id, score) of one page of matches, best first (or
        newest first)."""
        raise NotImplementedError

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
        return facets

    def suggestions(self, prefix: str, words: Sequence[str], *, limit: int) -> list[int]:
        """Ids of the newest articles whose headline has a word starting with ``prefix``
        (a normalised, unstemmed word) and the stems ``words``."""
        raise NotImplementedError

    def _facet_of_list(self, column: str, kind: int, extra: str = "") -> str:
        raise NotImplementedError

    def _match(self, query, expansions, any_word) -> tuple[str, str, list]:
        raise NotImplementedError

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

    def _contains(self, column: str, value: int) -> tuple[str, list]:
        raise NotImplementedError

    def _datetime(self, value: datetime):
        return value

    @staticmethod
    def tiers(query, expansions, any_word) -> list[tuple[Query, dict, bool]]:
        """The (query, widening, any word) of each tier after the proximity tier, best
        first: results that have every word as typed come before those found only through
        compounds, and in the any-word fallback those with every word (widened) or at least
        one word as typed come next."""
        if any_word:
            return [(query, {}, False), (query, expansions, False), (query, {}, True)]
        return [(query, {}, False)] if expansions else []

    @staticmethod
    def near_words(query) -> list[str]:
        """The words whose closeness ranks first (two to four words as typed)."""
        return query.words if 1 < len(query.words) <= NEAR_WORDS_MAX else []

    def _order(self, ranking: Ranking, score: str) -> str:
        if ranking.order == "date":
            return "d.published_at DESC, d.article_id DESC"
        return f"{score} DESC, d.published_at DESC, d.article_id DESC"


class PostgresBackend(Backend):
    vendor = "postgresql"
    WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # D topics, C body, B lead, A headline
    NORMALISATION = 1

    def create_tables(self, cursor, *, temporary=False) -> None:
        """The tables for ``redaktion search eval`` (the migrations create the real ones)."""
        temp = "TEMPORARY " if temporary else ""
        cursor.execute(
            f"""CREATE {temp}TABLE {self.document_table} (
                article_id integer PRIMARY KEY, ressort_id integer NOT NULL,
                published_at timestamptz NOT NULL, year smallint NOT NULL,
                topic_ids jsonb NOT NULL, author_ids jsonb NOT NULL,
                indexed_at timestamptz NOT NULL DEFAULT now(), vector tsvector,
                rank_vector tsvector)"""
        )
        cursor.execute(f"CREATE INDEX ON {self.document_table} USING gin (vector)")
        cursor.execute(
            f"ALTER TABLE {self.document_table} ALTER COLUMN rank_vector SET STORAGE MAIN"
        )
        cursor.execute(
            f"""CREATE {temp}TABLE {self.term_table} (
                term varchar(100) PRIMARY KEY, reversed varchar(100) NOT NULL,
                documents integer NOT NULL DEFAULT 0)"""
        )
        for statement in self.count_triggers_sql(self.document_table, self.term_table):
            cursor.execute(statement)
        cursor.execute(f"CREATE INDEX ON {self.term_table} (reversed varchar_pattern_ops)")
        cursor.execute(f"CREATE INDEX ON {self.term_table} (term varchar_pattern_ops)")

    @staticmethod
    def vector_sql() -> str:
        """The tsvector of the four token strings (parameters), weighted A…D."""
        return (
            "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), "
            "'B') || setweight(to_tsvector('simple', %s), 'C') || "
            "setweight(to_tsvector('simple', %s), 'D')"
        )

    @staticmethod
    def rank_vector_sql(column: str = "vector") -> str:
        """The ranking profile of the whole text's tsvector in ``column``, derived in SQL
        (the migration that introduced profiles fills them with it): every position
        weighted A, B or D and the body's (C) first ``RANK_BODY_TOKENS``, with the topics
        (D) moved up to follow them; the very tsvector ``_write_documents`` builds from the
        tokens. Written as tsvector input (``'lexeme':1A,5C``) from ``unnest``."""
        n = RANK_BODY_TOKENS
        return f"""(SELECT coalesce(string_agg(p.item, ' '), '')::tsvector FROM (
            SELECT '''' || replace(e.lexeme, '''', '''''') || ''':' || string_agg(
                (CASE WHEN e.w = 'D' THEN e.pos - coalesce(greatest(0, e.last_c - e.first_c
                    - {n - 1}), 0) ELSE e.pos END)::text || e.w, ',' ORDER BY e.pos) AS item
            FROM (
                SELECT u.lexeme, x.pos, x.w,
                    min(x.pos) FILTER (WHERE x.w = 'C') OVER () AS first_c,
                    max(x.pos) FILTER (WHERE x.w = 'C') OVER () AS last_c
                FROM unnest({column}) AS u(lexeme, positions, weights),
                    unnest(u.positions, u.weights) AS x(pos, w)
            ) AS e
            WHERE e.w <> 'C' OR e.pos < e.first_c + {n}
            GROUP BY e.lexeme) AS p)"""

    def _write_documents(self, cursor, rows):
        vector = self.vector_sql()
        values = ", ".join(
            [f"(%s, %s, %s, %s, %s::jsonb, %s::jsonb, now(), {vector}, {vector})"] * len(rows)
        )
        params = []
        for row in rows:
            params += [
                row.article_id,
                row.ressort_id,
                row.published_at,
                row.year,
                json.dumps(row.topic_ids),
                json.dumps(row.author_ids),
                " ".join(row.headline),
                " ".join(row.lead),
                " ".join(row.body),
                " ".join(row.topics),
                " ".join(row.headline),
                " ".join(row.lead),
                " ".join(row.body[:RANK_BODY_TOKENS]),
                " ".join(row.topics),
            ]
        cursor.execute(
            f"""INSERT INTO {self.document_table} (article_id, ressort_id, published_at, year,
                topic_ids, author_ids, indexed_at, vector, rank_vector) VALUES {values}
            ON CONFLICT (article_id) DO UPDATE SET ressort_id = EXCLUDED.ressort_id,
                published_at = EXCLUDED.published_at, year = EXCLUDED.year,
                topic_ids = EXCLUDED.topic_ids, author_ids = EXCLUDED.author_ids,
                indexed_at = EXCLUDED.indexed_at, vector = EXCLUDED.vector,
                rank_vector = EXCLUDED.rank_vector""",
            params,
        )

    def analyse(self):
        with self.connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {self.document_table}")

    def _write_terms(self, cursor, rows):
        """Nothing to do: the count triggers add the terms of every written document."""

    # The vocabulary's document counts (``documents``) follow every change of the document
    # table in a statement trigger per event (a trigger with transition tables takes one
    # event): the terms of the inserted rows count up, those of the deleted rows down, an
    # update does both. An advisory lock held until the commit lets one writer at a time
    # change counts, so that two writers never wait for each other's rows (common words are
    # in every article); the writers are the index tasks, short and few.
    COUNT_FUNCTION_SQL = """
        CREATE OR REPLACE FUNCTION suche_count_terms() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE
            changes text;
        BEGIN
            IF TG_OP = 'INSERT' THEN
                changes := 'SELECT unnest(tsvector_to_array(vector)) AS term, 1 AS n '
                    'FROM new_rows';
            ELSIF TG_OP = 'DELETE' THEN
                changes := 'SELECT unnest(tsvector_to_array(vector)) AS term, -1 AS n '
                    'FROM old_rows';
            ELSE
                changes := 'SELECT unnest(tsvector_to_array(vector)) AS term, 1 AS n '
                    'FROM new_rows UNION ALL '
                    'SELECT unnest(tsvector_to_array(vector)), -1 FROM old_rows';
            END IF;
            PERFORM pg_advisory_xact_lock(hashtext(TG_ARGV[0]));
            EXECUTE format(
                'INSERT INTO %I AS t (term, reversed, documents) '
                'SELECT c.term, reverse(c.term), sum(c.n) FROM (%s) AS c '
                'GROUP BY c.term HAVING sum(c.n) <> 0 ORDER BY c.term '
                'ON CONFLICT (term) DO UPDATE '
                'SET documents = greatest(0, t.documents + EXCLUDED.documents)',
                TG_ARGV[0], changes);
            RETURN NULL;
        END $$"""

    @staticmethod
    def count_triggers_sql(document_table: str, term_table: str) -> list[str]:
        """The statements that make ``document_table`` keep the counts of ``term_table``
        (``suche_count_terms``, created by the migrations, does the counting)."""
        tables = {
            "INSERT": "NEW TABLE AS new_rows",
            "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            "DELETE": "OLD TABLE AS old_rows",
        }
        return [
            f"CREATE TRIGGER {document_table}_count_{event.lower()} AFTER {event} "
            f"ON {document_table} REFERENCING {transition} FOR EACH STATEMENT "
            f"EXECUTE FUNCTION suche_count_terms('{term_table}')"
            for event, transition in tables.items()
        ]

    def delete(self, article_ids):
        if not article_ids:
            return
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {self.document_table} WHERE article_id = ANY(%s)",
                [list(article_ids)],
            )

    def _compound_candidates(self, words):
        parts, params = [], []
        for word in words:
            minimum = len(word) + COMPOUND_MIN_PART
            parts.append(
                f"(SELECT %s, term FROM {self.term_table} WHERE reversed LIKE %s "
                f"AND length(term) >= %s LIMIT {CANDIDATES_PER_WORD})"
            )
            params += [word, word[::-1] + "%", minimum]
        with self.connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            return cursor.fetchall()

    @staticmethod
    def tsquery(query: Query, expansions: dict[str, list[str]], any_word=False) -> str:
        def option(o):
            return f"'{o}'" if isinstance(o, str) else "(" + " & ".join(f"'{p}'" for p in o) + ")"

        groups = []
        for word in query.words:
            options = [word, *expansions.get(word, [])]
            groups.append("(" + " | ".join(option(o) for o in options) + ")")
        for phrase in query.phrases:
            groups.append("(" + " <-> ".join(f"'{s}'" for s in phrase) + ")")
        return (" | " if any_word else " & ").join(groups)

    @staticmethod
    def typed_terms(query: Query) -> list[str]:
        """One tsquery per word as typed and per phrase: the terms the score weighs by IDF."""
        return [f"'{w}'" for w in query.words] + [
            " <-> ".join(f"'{s}'" for s in phrase) for phrase in query.phrases
        ]

    @staticmethod
    def near_tsquery(words: list[str], distance: int = NEAR_DISTANCE) -> str:
        """Every pair of ``words`` within ``distance`` positions, in either order (what
        FTS5's ``NEAR`` means; tsquery only knows exact distances, ``<N>``); a distance of 1
        is next to each other."""
        pairs = []
        for i, first in enumerate(words):
            for second in words[i + 1 :]:
                options = [
                    f"'{a}' <{n}> '{b}'"
                    for n in range(1, distance + 1)
                    for a, b in ((first, second), (second, first))
                ]
                pairs.append("(" + " | ".join(options) + ")")
        return " & ".join(pairs)

    def _match(self, query, expansions, any_word):
        return (
            f"{self.document_table} d",
            "d.vector @@ to_tsquery('simple', %s)",
            [self.tsquery(query, expansions, any_word)],
        )

    def _contains(self, column, value):
        return f"d.{column} @> %s::jsonb", [json.dumps([value])]

    def _recency(self, ranking: Ranking) -> tuple[str, list]:
        if not ranking.recency_weight:
            return "1.0", []
        return (
            "((1 - %s) + %s * power(0.5, greatest(0, extract(epoch FROM (%s - d.published_at))"
            " / 86400.0) / %s))",
            [ranking.recency_weight, ranking.recency_weight, ranking.now, ranking.half_life_days],
        )

    def search_page(self, query, expansions, filters, ranking, *, limit, offset=0, any_word=False):
        # One evaluation of the match (a) for the total, the facets (m) and the page.
        where, filter_params = self._filters(filters)
        ctes, select, params = self._page_sql(query, expansions, ranking, limit, offset, any_word)
        sql = f"""
            WITH a AS MATERIALIZED (
                SELECT d.ctid AS tid, d.article_id, d.published_at, d.ressort_id, d.year,
                    d.topic_ids, d.author_ids
                FROM {self.document_table} d
                WHERE d.vector @@ to_tsquery('simple', %s){where}
            ), {self._facet_cte()}{ctes}
            , page AS ({select})
            {self._facet_rows(", NULL::float8")}
            UNION ALL SELECT {PAGE_ROWS}, p.article_id, row_number() OVER (), p.score FROM page p
        """
        with self.connection.cursor() as cursor:
            cursor.execute(
                sql, [self.tsquery(query, expansions, any_word), *filter_params, *params]
            )
            rows = cursor.fetchall()
        page = sorted(
            (position, pk, float(score)) for kind, pk, position, score in rows if kind == PAGE_ROWS
        )
        return self._read_facets(rows), [(pk, score) for _, pk, score in page]

    def _page_sql(self, query, expansions, ranking, limit, offset, any_word):
        """(more CTEs, the SELECT of the page, their parameters) on the matches in a CTE
        ``a`` (tid, article_id, published_at)."""
        if ranking.order == "date":
            return (
                "",
                "SELECT d.article_id, 0.0::float8 AS score FROM a AS d "
                "ORDER BY d.published_at DESC, d.article_id DESC LIMIT %s OFFSET %s",
                [limit, offset],
            )
        tsquery = self.tsquery(query, expansions, any_word)
        recency, recency_params = self._recency(ranking)
        terms = self.typed_terms(query)
        rank = (
            f"ts_rank('{self.WEIGHTS}', d.profile, to_tsquery('simple', %s), {self.NORMALISATION})"
        )
        # BM25's inverse document frequency of each word as typed and each phrase, from
        # its number of documents (the vocabulary's count for a word; for a phrase its
        # matches, counted on the GIN index up to DF_CAP) and the table's size.
        of_word = (
            f"(SELECT coalesce(max(t.documents), 0) FROM {self.term_table} t WHERE t.term = %s)"
        )
        of_phrase = (
            f"(SELECT count(*) FROM (SELECT 1 FROM {self.document_table} x "
            f"WHERE x.vector @@ to_tsquery('simple', %s) LIMIT {DF_CAP}) AS m)"
        )
        idf = (
            "(SELECT ln(1 + (n.n - least(n.n, f.df) + 0.5) / (least(n.n, f.df) + 0.5)) "
            "FROM (SELECT {} AS df) AS f, (SELECT greatest(reltuples, 1) AS n "
            "FROM pg_class WHERE oid = %s::regclass) AS n)"
        )
        counted = [(of_word, w) for w in query.words] + [
            (of_phrase, t) for t in terms[len(query.words) :]
        ]
        weights = ", ".join(f"{idf.format(df)} AS w{i}" for i, (df, _) in enumerate(counted))
        typed = " + ".join(f"w.w{i} * {rank}" for i in range(len(terms)))
        score = f"(({typed}) + {WIDENED_SHARE} * {rank}) * {recency}"
        score_params = [
            *[p for _, value in counted for p in (value, self.document_table)],
            *terms,
            tsquery,
            *recency_params,
        ]
        # Proximity, and (all words matching) the words as typed, are tested on the
        # profile like the score; in the any-word fallback, whether an article has
        # every word is a question for its whole text.
        tiers = [
            ("vector" if any_word else "profile", self.tsquery(q, e, a))
            for q, e, a in self.tiers(query, expansions, any_word)
        ]
        near = self.near_words(query)
        if near:
            tiers[:0] = [
                ("profile", self.near_tsquery(near, 1)),
                ("profile", self.near_tsquery(near)),
            ]
        tier_params = [tsq for _, tsq in tiers]
        tier_columns = "".join(
            f", (d.{column} @@ to_tsquery('simple', %s)) AS t{i}"
            for i, (column, _) in enumerate(tiers)
        )
        tier_keys = [f"d.t{i}" for i in range(len(tiers))]
        tier_order = "".join(f"{key} DESC, " for key in tier_keys)
        # Only the articles in the tiers down to that of the page's last result can be
        # on the page: the score (three ts_rank calls for two words, the most costly part
        # of the ranking) is computed for those alone.
        if tier_keys:
            keys = ", ".join(tier_keys)
            last_tier = (
                f", b AS MATERIALIZED (SELECT {keys} FROM t AS d ORDER BY {tier_order[:-2]} "
                "LIMIT 1 OFFSET %s)"
            )
            reachable = (
                f"WHERE NOT EXISTS (SELECT FROM b) OR ({keys}) >= (SELECT {keys} FROM b AS d)"
            )
            last_params = [offset + limit - 1]
        else:
            last_tier, reachable, last_params = "", "", []
        whole = ", d.vector || ''::tsvector AS vector" if any_word else ""
        # The newest RANK_CAP matches are found on the GIN index without reading a
        # single tsvector (their rows are then read by their physical address, ctid,
        # valid for the statement); only those are ranked, on their profiles (in the
        # row, uncompressed: the rank and the tier tests read them in place; a row
        # written before there were profiles ranks on its whole text). The whole text,
        # which only the any-word tiers read, is out of line: its concatenation makes
        # one in-memory copy that they share (OFFSET 0 keeps the subquery from being
        # flattened). The tiers are tested once (t).
        ctes = f"""
            , c AS MATERIALIZED (
                SELECT a.tid FROM a ORDER BY a.published_at DESC LIMIT {RANK_CAP}
            ), t AS MATERIALIZED (
                SELECT d.*{tier_columns} FROM (
                    SELECT d.article_id, d.published_at,
                        coalesce(d.rank_vector, d.vector) AS profile{whole}
                    FROM {self.document_table} d
                    WHERE d.ctid = ANY(ARRAY(SELECT c.tid FROM c))
                    OFFSET 0
                ) AS d
            ){last_tier}
            , w AS MATERIALIZED (SELECT {weights})"""
        select = (
            f"SELECT d.article_id, {score} AS score FROM w, t AS d {reachable} "
            f"ORDER BY {tier_order}{self._order(ranking, 'score')} LIMIT %s OFFSET %s"
        )
        return ctes, select, [*tier_params, *last_params, *score_params, limit, offset]

    def _facet_of_list(self, column, kind, extra=""):
        return (
            f"SELECT {kind}, t.value::int, count(*){extra} FROM m, "
            f"jsonb_array_elements_text(m.{column}) AS t GROUP BY t.value"
        )

    def suggestions(self, prefix, words, *, limit):
        terms = [f"'{w}'" for w in words] + [f"'{prefix}':*A"]
        sql = f"""
            SELECT d.article_id FROM {self.document_table} d
            WHERE d.vector @@ to_tsquery('simple', %s)
            ORDER BY d.published_at DESC, d.article_id DESC LIMIT %s
        """
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [" & ".join(terms), limit])
            return [row[0] for row in cursor.fetchall()]


class SqliteBackend(Backend):
    vendor = "sqlite"
    fts_table = "suche_fts"
    # headline, lead, body, topics: the order of PostgreSQL's weights A > B > C > D.
    BM25_WEIGHTS = "10.0, 4.0, 2.0, 1.0"

    def _tables(self):
        return [self.fts_table, *super()._tables()]

    def create_tables(self, cursor, *, temporary=False) -> None:
        temp = "TEMPORARY " if temporary else ""
        schema = "temp." if temporary else ""
        cursor.execute(
            f"""CREATE {temp}TABLE {self.document_table} (
                article_id integer PRIMARY KEY, ressort_id integer NOT NULL,
                published_at datetime NOT NULL, year smallint NOT NULL,
                topic_ids text NOT NULL, author_ids text NOT NULL, indexed_at datetime)"""
        )
        cursor.execute(
            f"""CREATE {temp}TABLE {self.term_table} (
                term varchar(100) PRIMARY KEY, reversed varchar(100) NOT NULL)"""
        )
        cursor.execute(
            f"CREATE INDEX {schema}{self.term_table}_rev ON {self.term_table} (reversed)"
        )
        cursor.execute(self.fts_sql(schema))

    def fts_sql(self, schema: str = "") -> str:
        # unicode61 without diacritic removal: the tokens are already normalised stems.
        return (
            f"CREATE VIRTUAL TABLE {schema}{self.fts_table} USING fts5(headline, lead, body, "
            "topics, tokenize = 'unicode61 remove_diacritics 0')"
        )

    def _write_documents(self, cursor, rows):
        ids = [row.article_id for row in rows]
        self._delete(cursor, ids)
        cursor.executemany(
            f"""INSERT INTO {self.document_table} (article_id, ressort_id, published_at, year,
                topic_ids, author_ids, indexed_at) VALUES (%s, %s, %s, %s, %s, %s, %s)""",
            [
                (
                    row.article_id,
                    row.ressort_id,
                    self._datetime(row.published_at),
                    row.year,
                    json.dumps(row.topic_ids),
                    json.dumps(row.author_ids),
                    self._datetime(datetime.now().astimezone()),
                )
                for row in rows
            ],
        )
        cursor.executemany(
            f"INSERT INTO {self.fts_table} (rowid, headline, lead, body, topics) "
            "VALUES (%s, %s, %s, %s, %s)",
            [
                (
                    row.article_id,
                    " ".join(row.headline),
                    " ".join(row.lead),
                    " ".join(row.body),
                    " ".join(row.topics),
                )
                for row in rows
            ],
        )

    def _write_terms(self, cursor, rows):
        parts = (part for row in rows for part in (row.headline, row.lead, row.body, row.topics))
        terms = sorted({term for part in parts for term in part})
        cursor.executemany(
            f"INSERT OR IGNORE INTO {self.term_table} (term, reversed) VALUES (%s, %s)",
            [(t, t[::-1]) for t in terms],
        )

    def _delete(self, cursor, ids):
        placeholders = ", ".join(["%s"] * len(ids))
        cursor.execute(
            f"DELETE FROM {self.fts_table} WHERE rowid IN ({placeholders})",
            ids,
        )
        cursor.execute(
            f"DELETE FROM {self.document_table} WHERE article_id IN ({placeholders})",
            ids,
        )

    def delete(self, article_ids):
        if not article_ids:
            return
        with self.connection.cursor() as cursor:
            for start in range(0, len(article_ids), 500):
                self._delete(cursor, list(article_ids[start : start + 500]))

    def _datetime(self, value):
        return _naive_utc(value).isoformat(sep=" ")

    def _compound_candidates(self, words):
        # GLOB is case-sensitive, so SQLite answers it from the index (LIKE is not).
        parts, params = [], []
        for word in words:
            minimum = len(word) + COMPOUND_MIN_PART
            parts.append(
                f"SELECT * FROM (SELECT %s, term FROM {self.term_table} WHERE reversed GLOB %s "
                f"AND length(term) >= %s LIMIT {CANDIDATES_PER_WORD})"
            )
            params += [word, word[::-1] + "*", minimum]
        with self.connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            return cursor.fetchall()

    @staticmethod
    def fts_query(query: Query, expansions: dict[str, list[str]], any_word=False) -> str:
        def option(o):
            return f'"{o}"' if isinstance(o, str) else "(" + " AND ".join(f'"{p}"' for p in o) + ")"

        groups = []
        for word in query.words:
            options = [word, *expansions.get(word, [])]
            groups.append("(" + " OR ".join(option(o) for o in options) + ")")
        for phrase in query.phrases:
            groups.append('"' + " ".join(phrase) + '"')
        return (" OR " if any_word else " AND ").join(groups)

    def _match(self, query, expansions, any_word):
        return (
            f"{self.fts_table} JOIN {self.document_table} d "
            f"ON d.article_id = {self.fts_table}.rowid",
            f"{self.fts_table} MATCH %s",
            [self.fts_query(query, expansions, any_word)],
        )

    def _contains(self, column, value):
        return (
            f"EXISTS (SELECT 1 FROM json_each(d.{column}) AS j WHERE j.value = %s)",
            [value],
        )

    def _recency(self, ranking):
        if not ranking.recency_weight:
            return "1.0", []
        return (
            "((1 - %s) + %s * power(0.5, max(0, julianday(%s) - julianday(d.published_at)) / %s))",
            [
                ranking.recency_weight,
                ranking.recency_weight,
                self._datetime(ranking.now),
                ranking.half_life_days,
            ],
        )

    def search_page(self, query, expansions, filters, ranking, *, limit, offset=0, any_word=False):
        # Two queries (the total and facets, then the page): an embedded archive is small.
        facets = self.facets(query, expansions, filters, any_word=any_word)
        if not facets.total:
            return facets, []
        page = self.ranked_ids(
            query, expansions, filters, ranking, limit=limit, offset=offset, any_word=any_word
        )
        return facets, page

    def ranked_ids(self, query, expansions, filters, ranking, *, limit, offset=0, any_word=False):
        """(article id, score) of one page of matches, best first (or newest first)."""
        match_from, match_where, params = self._match(query, expansions, any_word)
        where, filter_params = self._filters(filters)
        recency, recency_params = self._recency(ranking)
        score = f"(-bm25({self.fts_table}, {self.BM25_WEIGHTS})) * {recency}"
        typed_params = []
        if ranking.order != "date":
            # The words as typed score in full, what only the widening found adds a share.
            fts = self.fts_table
            score = (
                f"(coalesce((SELECT -bm25(t.{fts}, {self.BM25_WEIGHTS}) FROM {fts} AS t "
                f"WHERE t.{fts} MATCH %s AND t.rowid = d.article_id), 0) "
                f"+ {WIDENED_SHARE} * (-bm25({fts}, {self.BM25_WEIGHTS}))) * {recency}"
            )
            typed_params = [self.fts_query(query, {}, True)]
        tiers = self.tiers(query, expansions, any_word) if ranking.order != "date" else []
        tier_params = [self.fts_query(q, e, a) for q, e, a in tiers]
        near = self.near_words(query) if ranking.order != "date" else []
        if near:
            words = " ".join(f'"{w}"' for w in near)
            tier_params[:0] = [f"NEAR({words}, 0)", f"NEAR({words}, {NEAR_DISTANCE})"]
        tier_order = "".join(
            f"(d.article_id IN (SELECT rowid FROM {self.fts_table} "
            f"WHERE {self.fts_table} MATCH %s)) DESC, "
            for _ in tier_params
        )
        sql = f"""
            SELECT d.article_id, {score} AS score FROM {match_from}
            WHERE {match_where}{where}
            ORDER BY {tier_order}{self._order(ranking, "score")} LIMIT %s OFFSET %s
        """
        with self.connection.cursor() as cursor:
            cursor.execute(
                sql,
                [
                    *typed_params,
                    *recency_params,
                    *params,
                    *filter_params,
                    *tier_params,
                    limit,
                    offset,
                ],
            )
            return [(pk, float(score)) for pk, score in cursor.fetchall()]

    def _facet_of_list(self, column, kind, extra=""):
        return (
            f"SELECT {kind}, j.value, count(*){extra} FROM m, json_each(m.{column}) AS j "
            "GROUP BY j.value"
        )

    def suggestions(self, prefix, words, *, limit):
        terms = [f'"{w}"' for w in words] + [f'headline : "{prefix}"*']
        sql = f"""
            SELECT d.article_id FROM {self.fts_table}
            JOIN {self.document_table} d ON d.article_id = {self.fts_table}.rowid
            WHERE {self.fts_table} MATCH %s
            ORDER BY d.published_at DESC, d.article_id DESC LIMIT %s
        """
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [" AND ".join(terms), limit])
            return [row[0] for row in cursor.fetchall()]


def backend(connection=None, **tables) -> Backend:
    """The backend of ``connection`` (the default database unless given)."""
    connection = connection or default_connection
    if connection.vendor == "postgresql":
        return PostgresBackend(connection, **tables)
    if connection.vendor == "sqlite":
        return SqliteBackend(connection, **tables)
    raise NotImplementedError(f"search index: no backend for {connection.vendor}")
