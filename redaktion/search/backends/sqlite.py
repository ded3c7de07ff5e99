"""The search index on SQLite: an FTS5 table ``suche_fts`` (rowid = article id) with the
four token fields as columns, next to the document table of the filters and facets.

Score (higher is better, ``RankWeights`` in base.py): FTS5's ``bm25`` with column weights
10, 4, 2, 1 (headline > lead > body > topics, the order of PostgreSQL's weights) of each
query word with its other forms, plus that of its compounds times their coverage, plus that
of each phrase; raised by the proximity tests (FTS5's ``NEAR`` for every two words); times
the recency factor
``(1 - w) + w * 0.5 ** (age_days / half_life)`` when no match of the query is a strong one.
BM25 weighs rare words over common ones by itself; the second stage (base.py) reads where
the words first stand from the stored text of the first results. Phrases use FTS5's phrase
syntax. An embedded archive is small: every match is ranked, and the total with the facets
and the page are two queries.
"""

# SQL is built from table and column names that are attributes of this class; every value
# (words, ids, dates) is a query parameter.
# ruff: noqa: S608

from __future__ import annotations

import json
from datetime import UTC, datetime

from django.utils import timezone

from .base import NEAR_DISTANCE, RANK_BODY_TOKENS, Backend, Facets


def _naive_utc(value: datetime) -> datetime:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


class SqliteBackend(Backend):
    vendor = "sqlite"
    fts_table = "suche_fts"
    # FTS5's own vocabulary of ``fts_table`` (``fts5vocab``, one row per term with its
    # number of documents): always exact, kept by FTS5 itself. ``term_table`` stays for
    # the reversed terms, which FTS5 cannot search by their end.
    vocab_table = "suche_fts_vocab"
    # headline, lead, body, topics: the order of PostgreSQL's weights A > B > C > D.
    BM25_WEIGHTS = "10.0, 4.0, 2.0, 1.0"
    TERM = '"{}"'
    ALL = " AND "
    ANY = " OR "
    # GLOB is case-sensitive, so SQLite answers it from the index (LIKE is not).
    PREFIX_MATCH = ("GLOB", "*")
    UNION_MEMBER = "SELECT * FROM ({})"

    def _documents_column(self):
        return self.vocab_table, "doc"

    def _tables(self):
        return [self.vocab_table, self.fts_table, *super()._tables()]

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
        cursor.execute(self.vocab_sql(temporary=temporary))

    def fts_sql(self, schema: str = "") -> str:
        # unicode61 without diacritic removal: the tokens are already normalised stems.
        return (
            f"CREATE VIRTUAL TABLE {schema}{self.fts_table} USING fts5(headline, lead, body, "
            "topics, tokenize = 'unicode61 remove_diacritics 0')"
        )

    def vocab_sql(self, *, temporary: bool = False) -> str:
        """The vocabulary table of ``fts_table`` (a temporary one names the schema of its
        temporary ``fts_table``; a table of the database file reads the file's own)."""
        if temporary:
            return (
                f"CREATE VIRTUAL TABLE temp.{self.vocab_table} "
                f"USING fts5vocab(temp, {self.fts_table}, 'row')"
            )
        return f"CREATE VIRTUAL TABLE {self.vocab_table} USING fts5vocab({self.fts_table}, 'row')"

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
                    self._datetime(timezone.now()),
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

    @staticmethod
    def phrase(stems):
        return '"' + " ".join(stems) + '"'

    def _match(self, query, expansions, any_word):
        return (
            f"{self.fts_table} JOIN {self.document_table} d "
            f"ON d.article_id = {self.fts_table}.rowid",
            f"{self.fts_table} MATCH %s",
            [self.match_query(query, expansions, any_word)],
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

    def facets(self, query, expansions, filters, *, any_word=False) -> Facets:
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

    @staticmethod
    def near(words, distance):
        # Every two of the words, as PostgreSQL's tsquery tests them: FTS5's NEAR of more
        # than two words wants one stretch around all of them, which is more. FTS5 counts
        # the words between: side by side is 0.
        return " AND ".join(
            f'NEAR("{first}" "{second}", {distance - 1})'
            for i, first in enumerate(words)
            for second in words[i + 1 :]
        )

    def strong_query(self, query):
        parts = [self.phrase(p) for p in query.phrases]
        near = self.near_words(query)
        if near:
            parts.append(self.near(near, NEAR_DISTANCE))
        elif len(query.words) == 1:
            parts.append(f'{{headline lead}} : "{query.words[0]}"')
        else:
            parts += [f'"{w}"' for w in query.words]
        return " AND ".join(parts)

    def ranked_ids(self, query, expansions, filters, ranking, *, limit, offset=0, any_word=False):
        """(article id, score) of one page of matches, best first (or newest first)."""
        match_from, match_where, params = self._match(query, expansions, any_word)
        where, filter_params = self._filters(filters)
        if ranking.order == "date":
            sql = f"""
                SELECT d.article_id, 0.0 FROM {match_from} WHERE {match_where}{where}
                ORDER BY {self._order(ranking, "")} LIMIT %s OFFSET %s
            """
            with self.connection.cursor() as cursor:
                cursor.execute(sql, [*params, *filter_params, limit, offset])
                return [(pk, 0.0) for pk, _ in cursor.fetchall()]
        fts = self.fts_table
        weights = ranking.weights
        # Each summand is FTS5's bm25 (its IDF and length normalisation, the field weights)
        # of one group of terms, read for the row at hand.
        summands = self.summands(query, expansions, weights)
        relevance = " + ".join(
            f"{factor!r} * coalesce((SELECT -bm25(t.{fts}, {self.BM25_WEIGHTS}) "
            f"FROM {fts} AS t WHERE t.{fts} MATCH %s AND t.rowid = d.article_id), 0)"
            for _, _, factor in summands
        )
        relevance_params = [q for _, q, _ in summands]
        in_match = f"(d.article_id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s))"
        boosts = self.boosts(query, expansions, any_word, weights)
        proximity = "(1.0" + "".join(f" + {f!r} * {in_match}" for _, f, _ in boosts) + ")"
        proximity_params = [q for q, _, _ in boosts]
        recency, recency_params = self._recency(ranking)
        boost, boost_params = self._boost(ranking)
        sql = f"""
            WITH r AS (
                SELECT d.article_id, d.published_at, ({relevance}) * {proximity} AS relevance,
                    {in_match} AS strong
                FROM {match_from} WHERE {match_where}{where}
            )
            SELECT d.article_id, d.relevance * (CASE WHEN max(d.strong) OVER () THEN 1.0
                ELSE {recency} END) * {boost} AS score
            FROM r AS d ORDER BY {self._order(ranking, "score")} LIMIT %s OFFSET %s
        """
        with self.connection.cursor() as cursor:
            cursor.execute(
                sql,
                [
                    *relevance_params,
                    *proximity_params,
                    self.strong_query(query),
                    *params,
                    *filter_params,
                    *recency_params,
                    *boost_params,
                    limit,
                    offset,
                ],
            )
            return [(pk, float(score)) for pk, score in cursor.fetchall()]

    def first_positions(self, article_ids, terms):
        placeholders = ", ".join(["%s"] * len(article_ids))
        sql = (
            f"SELECT rowid, headline, lead, body FROM {self.fts_table} "
            f"WHERE rowid IN ({placeholders})"
        )
        wanted = set(terms)
        positions: dict[int, dict[str, int]] = {}
        with self.connection.cursor() as cursor:
            cursor.execute(sql, list(article_ids))
            for pk, headline, lead, body in cursor.fetchall():
                top = body.split(maxsplit=RANK_BODY_TOKENS)[:RANK_BODY_TOKENS]
                firsts = positions[pk] = {}
                for position, term in enumerate([*headline.split(), *lead.split(), *top]):
                    if term in wanted:
                        firsts.setdefault(term, position)
        return positions

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
