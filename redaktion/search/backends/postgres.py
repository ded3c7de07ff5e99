"""The search index on PostgreSQL full text: a ``tsvector`` of the pre-analysed tokens
(the ``simple`` configuration, weights A…D), GIN-indexed, and a short second one per article,
the ranking profile.

Score (higher is better): ``ts_rank`` with the weights D 0.1, C 0.2, B 0.4, A 1.0 (headline >
lead > body > topics) and length normalisation 1 (divided by 1 + log of the document
length), computed on the article's ranking profile: headline, lead, topics and the first
``RANK_BODY_TOKENS`` words of the body (matching always covers the whole text). Each word as
typed (with its other forms) and each phrase is weighted by BM25's inverse document frequency,
a word's compounds by the word's and their coverage (``RankWeights`` in base.py); raised by
the proximity tests on the profile; times the recency factor, when no match of the query is
a strong one: ``(1 - w) + w * 0.5 ** (age_days / half_life)``. Phrases are matched with positions
(``<->``). The second stage (base.py) reads where the words first stand from the profiles of
the first results.
"""

# SQL is built from table and column names that are attributes of this class; every value
# (words, ids, dates) is a query parameter.
# ruff: noqa: S608

from __future__ import annotations

import json

from django.utils import timezone

from ..analysis import Query
from .base import NEAR_DISTANCE, RANK_BODY_TOKENS, Backend, Ranking

# On PostgreSQL the relevance ranking covers the newest RANK_CAP matches: ranking reads each
# ranked document's tsvector (about 60 µs each at a million articles), so a query that
# matches tens of thousands of articles ranks its newest thousand, as many results as the
# pages a reader can open (selectors.MAX_PAGES of PAGE_SIZE); total and facets cover more.
RANK_CAP = 1000
# The document frequency of a word is read from the vocabulary (kept exact by triggers);
# that of a quoted phrase is counted on the GIN index, up to DF_CAP: phrases in more
# documents than that weigh alike, and counting them costs a fixed, small time.
DF_CAP = 1000
# The score and the proximity tests read a second, short tsvector per article (the ranking
# profile): headline, lead, topics and the first RANK_BODY_TOKENS index words of the body
# (base.py). Reading the whole text's tsvector (2.5 kB on average, out of line) for each of
# up to RANK_CAP ranked matches cost two thirds of a search at a million articles, and its
# ranking was no better. Which articles match, and the test of the any-word fallback (every
# word or only some), are decided on the whole text.
# The kind of the rows that carry the page in PostgresBackend.search_page's result.
PAGE_ROWS = 5


class PostgresBackend(Backend):
    vendor = "postgresql"
    WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # D topics, C body, B lead, A headline
    NORMALISATION = 1
    TERM = "'{}'"
    ALL = " & "
    ANY = " | "
    PREFIX_MATCH = ("LIKE", "%")
    UNION_MEMBER = "({})"

    def create_tables(self, cursor, *, temporary=False) -> None:
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
            [f"(%s, %s, %s, %s, %s::jsonb, %s::jsonb, %s, {vector}, {vector})"] * len(rows)
        )
        # The application's clock, not the transaction's start (``now()``): reconciliation
        # compares the entry's time with the article's last publication.
        indexed_at = timezone.now()
        params = []
        for row in rows:
            params += [
                row.article_id,
                row.ressort_id,
                row.published_at,
                row.year,
                json.dumps(row.topic_ids),
                json.dumps(row.author_ids),
                indexed_at,
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

    @staticmethod
    def phrase(stems):
        return "(" + " <-> ".join(f"'{s}'" for s in stems) + ")"

    @staticmethod
    def typed_terms(query: Query) -> list[str]:
        """One tsquery per word as typed and per phrase: the terms the score weighs by IDF."""
        return [f"'{w}'" for w in query.words] + [
            " <-> ".join(f"'{s}'" for s in phrase) for phrase in query.phrases
        ]

    @staticmethod
    def near(words, distance):
        return PostgresBackend.near_tsquery(words, distance)

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
                sql, [self.match_query(query, expansions, any_word), *filter_params, *params]
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
        recency, recency_params = self._recency(ranking)
        boost, boost_params = self._boost(ranking)
        weights = ranking.weights
        summands = self.summands(query, expansions, weights)
        rank = (
            f"ts_rank('{self.WEIGHTS}', d.profile, to_tsquery('simple', %s), {self.NORMALISATION})"
        )
        # BM25's inverse document frequency of each word as typed and each phrase, from
        # its number of documents (the vocabulary's count for a word; for a phrase its
        # matches, counted on the GIN index up to DF_CAP) and the table's size. A word's
        # compounds are weighed by the word's IDF: they are read as occurrences of it.
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
            (of_phrase, t) for t in self.typed_terms(query)[len(query.words) :]
        ]
        keys = {key: i for i, (_, key) in enumerate(counted)}
        keys.update({self.phrase(p): len(query.words) + i for i, p in enumerate(query.phrases)})
        idf_columns = ", ".join(f"{idf.format(df)} AS w{i}" for i, (df, _) in enumerate(counted))
        relevance = " + ".join(
            f"{factor!r} * w.w{keys[key]} * {rank}" for key, _, factor in summands
        )
        boosts = self.boosts(query, expansions, any_word, weights)
        tests = [
            (f"b{i}", "vector" if whole else "profile", tsq)
            for i, (tsq, _, whole) in enumerate(boosts)
        ]
        proximity = (
            "(1.0"
            + "".join(f" + {factor!r} * d.b{i}::int" for i, (_, factor, _) in enumerate(boosts))
            + ")"
        )
        # The strong match of a query of two to four words is its closeness test: tested once.
        strong_tsquery = self.strong_query(query)
        strong = next(
            (
                f"d.{name}"
                for name, column, tsq in tests
                if (column, tsq) == ("profile", strong_tsquery)
            ),
            "d.strong",
        )
        if strong == "d.strong":
            tests.append(("strong", "profile", strong_tsquery))
        whole = ", d.vector || ''::tsvector AS vector" if any(w for _, _, w in boosts) else ""
        test_columns = "".join(
            f", (d.{column} @@ to_tsquery('simple', %s)) AS {name}" for name, column, _ in tests
        )
        score = (
            f"({relevance}) * {proximity} * (CASE WHEN bool_or({strong}) OVER () THEN 1.0 "
            f"ELSE {recency} END) * {boost}"
        )
        # The newest RANK_CAP matches are found on the GIN index without reading a
        # single tsvector (their rows are then read by their physical address, ctid,
        # valid for the statement); only those are ranked, on their profiles (in the
        # row, uncompressed: the rank and the proximity tests read them in place; a row
        # written before there were profiles ranks on its whole text), each test once (t).
        ctes = f"""
            , c AS MATERIALIZED (
                SELECT a.tid FROM a ORDER BY a.published_at DESC LIMIT {RANK_CAP}
            ), t AS MATERIALIZED (
                SELECT d.*{test_columns} FROM (
                    SELECT d.article_id, d.published_at,
                        coalesce(d.rank_vector, d.vector) AS profile{whole}
                    FROM {self.document_table} d
                    WHERE d.ctid = ANY(ARRAY(SELECT c.tid FROM c))
                    OFFSET 0
                ) AS d
            ), w AS MATERIALIZED (SELECT {idf_columns})"""
        select = (
            f"SELECT d.article_id, {score} AS score FROM w, t AS d "
            f"ORDER BY {self._order(ranking, 'score')} LIMIT %s OFFSET %s"
        )
        params = [
            *[tsq for _, _, tsq in tests],
            *[p for _, value in counted for p in (value, self.document_table)],
            *[q for _, q, _ in summands],
            *recency_params,
            *boost_params,
            limit,
            offset,
        ]
        return ctes, select, params

    def strong_query(self, query):
        parts = [self.phrase(p) for p in query.phrases]
        near = self.near_words(query)
        if near:
            parts.append(self.near_tsquery(near))
        elif len(query.words) == 1:
            parts.append(f"'{query.words[0]}':AB")
        else:
            parts += [f"'{w}'" for w in query.words]
        return " & ".join(parts)

    def first_positions(self, article_ids, terms):
        # The ranking profile holds headline (A), lead (B) and the top of the body (C) in
        # that order, counted from 1; the topics (D) follow and do not count.
        sql = f"""
            SELECT d.article_id, u.lexeme, min(x.pos) - 1
            FROM {self.document_table} d,
                unnest(coalesce(d.rank_vector, d.vector)) AS u(lexeme, positions, weights),
                unnest(u.positions, u.weights) AS x(pos, w)
            WHERE d.article_id = ANY(%s) AND u.lexeme = ANY(%s) AND x.w <> 'D'
            GROUP BY d.article_id, u.lexeme
        """
        positions: dict[int, dict[str, int]] = {}
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [list(article_ids), list(terms)])
            for pk, term, position in cursor.fetchall():
                positions.setdefault(pk, {})[term] = position
        return positions

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
