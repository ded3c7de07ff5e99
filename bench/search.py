"""Scale of the search on PostgreSQL: a two-word query with facets over N articles.

    flock /tmp/redaktion-bench.lock .venv/bin/python bench/search.py --articles 1000000

By default the benchmark runs a PostgreSQL server of its own (``var/bench-postgres``, made
with the installed server's ``initdb`` on first use and kept between runs) with the settings
the README recommends for production, sized to the machine
(``harness.production_postgres_settings``: a quarter of the memory as shared buffers, …),
and loads the index into its shared buffers (``pg_prewarm``) before measuring, as a server
that has been answering searches holds it. With ``DATABASE_URL=postgres://…/bench_search``
it uses that server as it is configured instead (Debian's defaults: 128 MB of shared
buffers, so most rows are copied in from the operating system's cache on every search).

The database is created and migrated if needed, then its search index is filled with N
generated documents (kept between runs; regenerated when N changes). The
rows are written by ``INSERT … SELECT`` inside PostgreSQL, not through Wagtail pages: the
index is what grows with the archive, and a page of results loads its 20 teasers by primary
key whatever the archive's size (the query-count test pins that part). The documents point
at no page, so the foreign key is not checked while loading (``session_replication_role``).

The text is synthetic German, drawn at run time from the words of the evaluation texts in
../shared/data (nothing is copied anywhere), analysed by ``redaktion.search.analysis`` like
real articles: each document has one of 500 topics (60 words each); the headline takes 70 %
of its 6 words from the topic, the lead 40 % of 20, the body 30 % of 180, the rest follows
the words' rank (Zipf: rank r drawn with probability ∝ 1/r). Bodies come from a pool of
20,000 (40 per topic) so that generation takes minutes, not hours; headlines and leads are
drawn for every document; each document's ranking profile is its headline, lead, topic and
the first ``RANK_BODY_TOKENS`` words of its body, as the index writes it. Dates are spread
over ten years, 8 Ressorts, 200 authors.

Measured, each against the bare GIN match in the same run (``count(*)`` of the same
``tsquery``, the floor any full-text answer pays):

* topical: two words of one topic (the typical query: ``Erdbeben Haiti``);
* frequent: two words among the 20th–200th most frequent (a worst case: large result sets).

Each sample is ``redaktion.search.selectors.search`` end to end: compound widening, the
page of 20 by relevance with the recency boost, total and facet counts (Ressort, year,
topic, author), teaser loading.
"""

# SQL here is built from the script's own constants; values are parameters.
# ruff: noqa: S608

from __future__ import annotations

import argparse
import json
import os
import random
import time
from collections import Counter

from harness import (
    ROOT,
    Sample,
    django_on_postgres,
    evaluation_words,
    markdown_row,
    markdown_table,
    postgres_server,
    production_postgres_settings,
    require_postgres,
    timed,
)

TOPICS = 500
TOPIC_WORDS = 60
BODIES = 20_000
RESSORTS = 8
AUTHORS = 200
SEED = 17


def vocabulary() -> tuple[list[str], dict[str, str]]:
    """Stems of the evaluation texts by frequency, and each stem's commonest spelling."""
    from redaktion.search import analysis

    words = evaluation_words(3)
    stems: Counter = Counter()
    spelling: dict[str, tuple[int, str]] = {}
    for word, count in words.items():
        normal = analysis.normalise(word)
        if not analysis.is_indexed_word(normal):
            continue
        stem = analysis.stem(normal)
        stems[stem] += count
        if count > spelling.get(stem, (0, ""))[0]:
            spelling[stem] = (count, word)
    ranked = [s for s, _ in stems.most_common()]
    return ranked, {s: spelling[s][1] for s in ranked}


def generate(total: int, ranked: list[str], rng: random.Random) -> None:
    from django.db import connection, transaction

    from redaktion.search.backends.postgres import RANK_BODY_TOKENS

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(rank_vector) FROM suche_searchdocument")
        have, profiles = cursor.fetchone()
    if have == total == profiles:
        print(f"index holds {total:,} documents already")
        return
    middle = ranked[200:20000] or ranked
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("TRUNCATE suche_searchdocument, suche_searchterm")
        cursor.execute("DROP INDEX IF EXISTS suche_doc_vector")
        cursor.execute("DROP TABLE IF EXISTS bench_vocab, bench_topic, bench_body")
        cursor.execute("CREATE UNLOGGED TABLE bench_vocab (id int PRIMARY KEY, stem text)")
        cursor.execute(
            "INSERT INTO bench_vocab "
            "SELECT i, s FROM unnest(%s::text[]) WITH ORDINALITY AS u(s, i)",
            [ranked],
        )
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_topic (topic int, idx int, stem text, "
            "PRIMARY KEY (topic, idx))"
        )
        rows = [
            (topic, i + 1, stem)
            for topic in range(TOPICS)
            for i, stem in enumerate(rng.sample(middle, min(TOPIC_WORDS, len(middle))))
        ]
        cursor.executemany("INSERT INTO bench_topic VALUES (%s, %s, %s)", rows)
        cursor.execute("SELECT setseed(%s)", [rng.random()])
        size = len(ranked)
        cursor.execute("SET enable_hashjoin = off")
        cursor.execute("SET enable_mergejoin = off")
        # The body and its first RANK_BODY_TOKENS words (for the ranking profile).
        word = "CASE WHEN r.x < 0.3 THEN t.stem ELSE v.stem END"
        cursor.execute(
            f"""CREATE UNLOGGED TABLE bench_body AS
            SELECT b AS id,
                setweight(to_tsvector('simple', string_agg({word}, ' ' ORDER BY r.i)), 'C')
                    AS vector,
                setweight(to_tsvector('simple', string_agg({word}, ' ' ORDER BY r.i)
                    FILTER (WHERE r.i <= {RANK_BODY_TOKENS})), 'C') AS head
            FROM generate_series(0, {BODIES - 1}) AS b
            CROSS JOIN LATERAL (
                SELECT i, random() AS x, 1 + floor(random() * {TOPIC_WORDS})::int AS ti,
                       least({size}, floor(exp(random() * ln({size}))))::int AS vi
                FROM generate_series(1, 180) AS i WHERE b >= 0) AS r
            JOIN bench_topic t ON t.topic = b % {TOPICS} AND t.idx = r.ti
            JOIN bench_vocab v ON v.id = r.vi
            GROUP BY b"""
        )
        cursor.execute("ALTER TABLE bench_body ADD PRIMARY KEY (id)")
        print(f"body pool: {time.monotonic() - started:.0f} s", flush=True)
    started = time.monotonic()
    batch = 100_000
    for start in range(1, total + 1, batch):
        stop = min(start + batch - 1, total)
        batch_started = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            # Index lookups per drawn word; a hash of the vocabulary per document is slower.
            cursor.execute("SET LOCAL enable_hashjoin = off")
            cursor.execute("SET LOCAL enable_mergejoin = off")
            cursor.execute(
                f"""INSERT INTO suche_searchdocument (article_id, ressort_id, published_at,
                    year, topic_ids, author_ids, indexed_at, vector, rank_vector)
                SELECT d.g, 1 + d.topic %% {RESSORTS}, d.ts,
                    extract(year FROM d.ts AT TIME ZONE 'Europe/Berlin')::int,
                    jsonb_build_array(d.topic + 1), jsonb_build_array(d.author), now(),
                    setweight(to_tsvector('simple', w.head), 'A')
                    || setweight(to_tsvector('simple', w.lead), 'B') || b.vector
                    || setweight(to_tsvector('simple', tn.stem), 'D'),
                    setweight(to_tsvector('simple', w.head), 'A')
                    || setweight(to_tsvector('simple', w.lead), 'B') || b.head
                    || setweight(to_tsvector('simple', tn.stem), 'D')
                FROM (SELECT g, floor(random() * {TOPICS})::int AS topic,
                             1 + floor(random() * {AUTHORS})::int AS author,
                             now() - random() * interval '10 years' AS ts,
                             floor(random() * {BODIES // TOPICS})::int AS variant
                      FROM generate_series(%s, %s) AS g) AS d
                JOIN bench_body b ON b.id = d.topic + {TOPICS} * d.variant
                JOIN bench_topic tn ON tn.topic = d.topic AND tn.idx = 1
                CROSS JOIN LATERAL (
                    SELECT string_agg(CASE WHEN r.x < 0.7 THEN t.stem ELSE v.stem END, ' ')
                               FILTER (WHERE r.s <= 6) AS head,
                           string_agg(CASE WHEN r.x < 0.4 THEN t.stem ELSE v.stem END, ' ')
                               FILTER (WHERE r.s > 6) AS lead
                    FROM (SELECT s, random() AS x, 1 + floor(random() * {TOPIC_WORDS})::int AS ti,
                                 least({size}, floor(exp(random() * ln({size}))))::int AS vi
                          FROM generate_series(1, 26) AS s WHERE d.g > 0) AS r
                    JOIN bench_topic t ON t.topic = d.topic AND t.idx = r.ti
                    JOIN bench_vocab v ON v.id = r.vi) AS w""",
                [start, stop],
            )
        rate = (stop - start + 1) / (time.monotonic() - batch_started)
        print(f"\r{stop:,}/{total:,} documents ({rate:.0f}/s)", end="", flush=True)
    print()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        # The triggers that count the vocabulary's documents were off while loading.
        cursor.execute(
            "INSERT INTO suche_searchterm (term, reversed, documents) "
            "SELECT c.term, reverse(c.term), count(*) FROM (SELECT unnest("
            "tsvector_to_array(vector)) AS term FROM suche_searchdocument) AS c GROUP BY c.term"
        )
        began = time.monotonic()
        cursor.execute("CREATE INDEX suche_doc_vector ON suche_searchdocument USING gin (vector)")
        print(f"GIN index: {time.monotonic() - began:.0f} s", flush=True)
        cursor.execute("DROP TABLE bench_vocab, bench_topic, bench_body")
        cursor.execute("VACUUM ANALYZE suche_searchdocument")
        cursor.execute("VACUUM ANALYZE suche_searchterm")
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('suche_searchdocument'))")
        print(
            f"generated in {time.monotonic() - started:.0f} s; table with indexes: "
            f"{cursor.fetchone()[0]}"
        )
    with open(ROOT / "var" / "bench_search_topics.json", "w") as handle:
        json.dump({"topics": [[s for _, i, s in rows if _ == t] for t in range(TOPICS)]}, handle)


def measure(queries: list[str]) -> tuple[Sample, Sample, Sample]:
    """(search timings, bare-match timings, result sizes) over ``queries``."""
    from django.db import connection
    from django.utils import timezone

    from redaktion.search import analysis, selectors
    from redaktion.search.backends import PostgresBackend, backend

    now = timezone.now()
    index = backend()
    for text in queries[:5]:  # warm-up: connection, plans, caches
        selectors.search(text=text, ressort_list=[], recency_weight=0.2, now=now)
    full, bare, sizes = [], [], []
    for text in queries:
        with timed(full):
            results = selectors.search(text=text, ressort_list=[], recency_weight=0.2, now=now)
        sizes.append(results.total)
        query = analysis.parse(text)
        tsquery = PostgresBackend.match_query(query, index.expand(query))
        with timed(bare), connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM suche_searchdocument "
                "WHERE vector @@ to_tsquery('simple', %s)",
                [tsquery],
            )
            cursor.fetchone()
    return Sample(full), Sample(bare), Sample(sizes)


def prewarm() -> None:
    """Loads the index (table, TOAST, indexes) into shared buffers with ``pg_prewarm``, as
    a server that has been answering searches for a while holds it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        cursor.execute(
            """SELECT sum(pg_prewarm(c.oid)) FROM pg_class c
            WHERE c.oid IN (
                SELECT 'suche_searchdocument'::regclass
                UNION SELECT reltoastrelid FROM pg_class
                    WHERE oid = 'suche_searchdocument'::regclass
                UNION SELECT indexrelid FROM pg_index
                    WHERE indrelid = 'suche_searchdocument'::regclass
                    OR indrelid = (SELECT reltoastrelid FROM pg_class
                        WHERE oid = 'suche_searchdocument'::regclass))"""
        )
        print(f"prewarmed {cursor.fetchone()[0] * 8 // 1024:,} MB into shared buffers")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if url:
        require_postgres(url, "bench_search")
        print(f"server: {url.rsplit('@', 1)[-1]} as it is configured")
        run(args, url)
        return
    settings = production_postgres_settings()
    print(
        "server: a PostgreSQL of its own in var/bench-postgres, "
        + ", ".join(f"{name}={value}" for name, value in settings.items())
    )
    with postgres_server(ROOT / "var" / "bench-postgres", settings) as server:
        run(args, f"{server}/bench_search")


def run(args, url: str) -> None:
    django_on_postgres(url)
    (ROOT / "var").mkdir(exist_ok=True)
    rng = random.Random(SEED)  # noqa: S311 - test data
    ranked, spelling = vocabulary()
    generate(args.articles, ranked, rng)
    topics = json.loads((ROOT / "var" / "bench_search_topics.json").read_text())["topics"]
    sample = random.Random(SEED + 1)  # noqa: S311 - sampling
    topical = []
    for _ in range(args.samples):
        a, b = sample.sample(topics[sample.randrange(len(topics))], 2)
        topical.append(f"{spelling[a]} {spelling[b]}")
    frequent_pool = ranked[20:200]
    frequent = [
        " ".join(spelling[s] for s in sample.sample(frequent_pool, 2))
        for _ in range(max(20, args.samples // 4))
    ]
    prewarm()
    print(f"{args.articles:,} documents; p50/p95/max in ms; matches per query p50/p95/max")
    header = ["query", "search p50", "p95", "max", "bare match p50", "p95", "p95 vs bare"]
    print(markdown_table([*header, "matches p50/p95"], [], "lrrrrrrr"))
    for name, queries in (("topical two words", topical), ("two frequent words", frequent)):
        full, bare, sizes = measure(queries)
        cells = [f"{name} ({full.n})", f"{full.p50:.1f}", f"{full.p95:.1f}", f"{full.max:.1f}"]
        cells += [f"{bare.p50:.1f}", f"{bare.p95:.1f}", f"{full.p95 / bare.p95:.1f}×"]
        print(markdown_row([*cells, f"{sizes.p50:,} / {sizes.p95:,}"]), flush=True)


if __name__ == "__main__":
    main()
