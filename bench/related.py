"""Scale of "Mehr zum Thema" on PostgreSQL: rebuild, one article's list, the publish update.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_related \\
        flock /tmp/redaktion-bench.lock \\
        .venv/bin/python bench/related.py --articles 100000 --index 1000000

The database named in DATABASE_URL is created and migrated if needed, then filled with
``--articles`` generated articles (kept between runs; more are added when it grows). The
text is synthetic German: words are drawn at run time from the vocabulary of the evaluation
texts in ../shared/data (no text is copied anywhere), as a mixture of one of 500 topics and
the general word distribution, so the index sees realistic term statistics and topical
neighbourhoods. Pages are inserted in bulk (``harness.insert_live_articles``) because the
page factories take half a second an article.

Measured:
* rebuild: ``related_rebuild()`` of the ``--articles`` articles in a child process (with
  its forked workers): wall and CPU time, and the peak memory of that process tree sampled
  from /proc (``harness.measure_child``: RSS every 0.5 s, summed over the processes, which
  counts the pages the workers share with their parent once per process; PSS, which splits
  them, every 2 s);
* the index is then grown to ``--index`` articles set-based (``clone_index``: pages,
  articles, topics, vectors, postings and lists copied in SQL, no page creation), so the
  online path runs against posting lists, tables and indexes of that size;
* list: computing one indexed article's list (candidate pool from the inverted index,
  scoring; read-only) for ``--samples`` random articles, p50/p95/max, next to the baseline
  of reading an article's stored list (one indexed query) in the same run;
* publish: ``related_index_article()`` for ``--publish`` new articles (what the publish task
  runs: analysis, terms, candidates, scoring, its list and the lists of older articles).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import sys
import time

from harness import (
    Sample,
    django_on_postgres,
    django_setup,
    evaluation_words,
    insert_live_articles,
    last_json,
    markdown_row,
    markdown_table,
    measure_child,
    require_postgres,
    timed,
)

TOPICS = 500
RESSORTS = 8
SEED = 11


def vocabulary() -> tuple[list[str], list[float]]:
    """Words (four letters or more) of the evaluation texts with their frequencies."""
    counts = evaluation_words(4)
    words = [w for w, _ in counts.most_common()]
    return words, [counts[w] for w in words]


class TextMaker:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.words, weights = vocabulary()
        self.cumulative = list(itertools.accumulate(weights))
        middle = self.words[200:20000] or self.words
        self.topics = [rng.sample(middle, min(60, len(middle))) for _ in range(TOPICS)]

    def article(self, topic: int) -> dict:
        rng = self.rng
        own = self.topics[topic]

        def text(n, share):
            k = int(n * share)
            picked = rng.choices(own, k=k) + rng.choices(
                self.words, cum_weights=self.cumulative, k=n - k
            )
            rng.shuffle(picked)
            return " ".join(picked)

        return {
            "title": text(6, 0.7).capitalize(),
            "lead": text(25, 0.4) + ".",
            "body": text(180, 0.3) + ".",
        }


def generate(total: int) -> None:
    """Adds generated, published articles until the database holds ``total``."""
    from django.db import transaction
    from django.utils import timezone
    from wagtail.rich_text import RichText

    from redaktion.news.factories import RessortPageFactory
    from redaktion.news.models import ArticlePage, HomePage, RessortPage, TaggedArticle, Topic

    have = ArticlePage.objects.count()
    if have >= total:
        return
    rng = random.Random(SEED + have)  # noqa: S311 - test data
    maker = TextMaker(rng)
    home = HomePage.objects.get(depth=2)
    ressorts = list(RessortPage.objects.child_of(home).order_by("path"))
    for i in range(len(ressorts), RESSORTS):
        ressorts.append(RessortPageFactory(parent=home, title=f"Ressort {i}", slug=f"r{i}"))
    topics = list(Topic.objects.order_by("pk"))
    if len(topics) < TOPICS:
        Topic.objects.bulk_create(
            Topic(name=f"Thema {i}", slug=f"thema-{i}") for i in range(len(topics), TOPICS)
        )
        topics = list(Topic.objects.order_by("pk"))
    now = timezone.now()
    started = time.monotonic()
    batch = 2000
    for start in range(have, total, batch):
        stop = min(start + batch, total)
        with transaction.atomic():
            placed, tags = [], []
            for i in range(start, stop):
                topic = rng.randrange(TOPICS)
                text = maker.article(topic)
                published = now - (total - i) * (now - now.replace(year=now.year - 5)) / total
                article = ArticlePage(
                    title=text["title"][:255],
                    slug=f"artikel-{i}",
                    first_published_at=published,
                    last_published_at=published,
                    lead=text["lead"],
                    kicker="",
                    word_count=200,
                    reading_time=1,
                )
                article.body = [("paragraph", RichText(f"<p>{text['body']}</p>"))]
                placed.append((ressorts[topic % RESSORTS], article))
                tags.append(topics[topic])
            articles = insert_live_articles(placed)
            TaggedArticle.objects.bulk_create(
                TaggedArticle(content_object_id=article.pk, tag=tag)
                for article, tag in zip(articles, tags, strict=True)
            )
        print(f"\rgenerated {stop}/{total} ({time.monotonic() - started:.0f} s)", end="")
    print()


CLONE_TITLE = "Archiv"


def drop_clones() -> int:
    """Removes the articles that ``clone_index`` added (set-based), so that the rebuild
    sees the generated articles only. Returns how many were removed."""
    from django.db import connection, transaction

    from redaktion.news.models import RessortPage

    parents = list(RessortPage.objects.filter(title__startswith=CLONE_TITLE))
    if not parents:
        return 0
    removed = 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE related_suggestion, related_posting, related_topicposting, "
            "related_articlevector, related_term"
        )
        for parent in parents:
            below = "path LIKE %s AND depth > %s"
            args = [parent.path + "%", parent.depth]
            for table, column in (
                ("news_taggedarticle", "content_object_id"),
                ("news_articlepage", "page_ptr_id"),
                ("wagtailcore_page", "id"),
            ):
                cursor.execute(
                    f"DELETE FROM {table} WHERE {column} IN "  # noqa: S608
                    f"(SELECT id FROM wagtailcore_page WHERE {below})",
                    args,
                )
            removed += cursor.rowcount
            cursor.execute("UPDATE wagtailcore_page SET numchild = 0 WHERE id = %s", [parent.pk])
    return removed


def clone_index(target: int) -> float:
    """Grows the index from the rebuilt articles to ``target`` articles, set-based: every
    generated article is copied (page, article, topic, vector, postings and the list among
    the copies) under an archive Ressort per copy, published further in the past. The
    copies have the term statistics and posting-list lengths of a corpus ``target`` long,
    which is what the online path's cost depends on. Returns the seconds it took."""
    from django.db import connection
    from wagtail.models import Page

    from redaktion.news.factories import RessortPageFactory
    from redaktion.news.models import ArticlePage, HomePage, RessortPage

    started = time.monotonic()
    base = ArticlePage.objects.count()
    copies = max(0, -(-target // base) - 1)
    if copies == 0:
        return 0.0
    home = HomePage.objects.get(depth=2)
    ressorts = list(RessortPage.objects.child_of(home).exclude(title__startswith=CLONE_TITLE))
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) + 1 FROM wagtailcore_page")
        offset = 10 ** len(str(cursor.fetchone()[0]))
        page_columns = [c.column for c in Page._meta.local_concrete_fields]
        article_columns = [c.column for c in ArticlePage._meta.local_concrete_fields]
    replaced = {
        "id": "p.id + c.n * %(offset)s",
        "path": "m.new_path || right(p.path, 4)",
        "url_path": "m.new_url || p.slug || '/'",
        "translation_key": "gen_random_uuid()",
        "first_published_at": "p.first_published_at - c.n * interval '1825 days'",
        "last_published_at": "p.last_published_at - c.n * interval '1825 days'",
        "live_revision_id": "NULL",
        "latest_revision_id": "NULL",
    }
    # In autocommit: an index cannot be rebuilt in the transaction that filled its table
    # while foreign-key checks are pending.
    parents = []
    for n in range(1, copies + 1):
        for ressort in ressorts:
            slug = f"a{n}-{ressort.slug}"
            clone = RessortPage.objects.child_of(home).filter(slug=slug).first()
            if clone is None:
                clone = RessortPageFactory(
                    parent=home, title=f"{CLONE_TITLE} {n} {ressort.title}", slug=slug
                )
            parents.append((n, ressort.path, clone.path, clone.url_path))
    with connection.cursor() as cursor:
        # The copies reference rows that exist by construction: no per-row foreign-key
        # triggers (a superuser setting, fine for a benchmark database).
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "CREATE TEMP TABLE clone_map (n int, old_path text, new_path text, new_url text)"
        )
        cursor.executemany("INSERT INTO clone_map VALUES (%s, %s, %s, %s)", parents)
        cursor.execute("CREATE TEMP TABLE clone_n AS SELECT generate_series(1, %s) AS n", [copies])
        select = ", ".join(replaced.get(c, f"p.{c}") for c in page_columns)
        join = """
            FROM wagtailcore_page p JOIN news_articlepage a ON a.page_ptr_id = p.id
            JOIN clone_map m ON m.old_path = left(p.path, length(m.old_path))
            JOIN clone_n c ON c.n = m.n
            WHERE p.path NOT IN (SELECT new_path FROM clone_map)
              AND length(p.path) = length(m.old_path) + 4
        """
        cursor.execute(
            f"INSERT INTO wagtailcore_page ({', '.join(page_columns)}) SELECT {select} {join}"
            % {"offset": offset}
        )
        article_select = ", ".join(
            "p.id + c.n * %(offset)s" if c == "page_ptr_id" else f"a.{c}" for c in article_columns
        )
        cursor.execute(
            f"INSERT INTO news_articlepage ({', '.join(article_columns)}) "
            f"SELECT {article_select} {join}" % {"offset": offset}
        )
        cursor.execute(
            "UPDATE wagtailcore_page w SET numchild = ("
            "SELECT count(*) FROM wagtailcore_page ch WHERE ch.path LIKE w.path || '____' "
            "AND ch.depth = w.depth + 1) WHERE w.path IN (SELECT new_path FROM clone_map)"
        )
        cursor.execute(
            "INSERT INTO news_taggedarticle (content_object_id, tag_id) "
            "SELECT t.content_object_id + c.n * %s, t.tag_id FROM news_taggedarticle t "
            "CROSS JOIN clone_n c WHERE t.content_object_id < %s",
            [offset, offset],
        )
        cursor.execute(
            "INSERT INTO related_articlevector (article_id, ressort_path, published_at, "
            "topic_ids, names, vector, profile, indexed_at) "
            "SELECT v.article_id + c.n * %s, m.new_path, "
            "v.published_at - c.n * interval '1825 days', v.topic_ids, v.names, v.vector, "
            "v.profile, v.indexed_at FROM related_articlevector v "
            "JOIN clone_map m ON m.old_path = v.ressort_path JOIN clone_n c ON c.n = m.n",
            [offset],
        )
        for table, select in (
            (
                "related_posting",
                "(article_id, term_id, weight) SELECT x.article_id + c.n * %(o)s, "
                "x.term_id, x.weight",
            ),
            (
                "related_suggestion",
                "(article_id, suggested_id, score) SELECT x.article_id + c.n * %(o)s, "
                "x.suggested_id + c.n * %(o)s, x.score",
            ),
        ):
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'u'",
                [table],
            )
            uniques = cursor.fetchall()
            for name, _ in uniques:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                "AND indexname NOT LIKE '%%pkey'",
                [table],
            )
            indexes = cursor.fetchall()
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX {name}")
            cursor.execute(
                f"INSERT INTO {table} {select % {'o': offset}} FROM {table} x "  # noqa: S608
                f"CROSS JOIN clone_n c WHERE x.article_id < {offset}"
            )
            for _, definition in indexes:
                cursor.execute(definition)
            for name, definition in uniques:
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
        cursor.execute("UPDATE related_term SET df = df * %s", [copies + 1])
        cursor.execute(
            "UPDATE related_corpusstate SET documents = documents * %s, "
            "stem_length = stem_length * %s, gram_length = gram_length * %s",
            [copies + 1] * 3,
        )
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")
        for table in ("related_posting", "related_suggestion", "related_articlevector"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return time.monotonic() - started


def stage_rebuild() -> None:
    from redaktion.related.services import related_rebuild

    started = time.monotonic()
    result = related_rebuild()
    print(json.dumps({"articles": result["articles"], "seconds": time.monotonic() - started}))


def measure_lists(samples: int) -> tuple[Sample, Sample]:
    """One indexed article's list computed from its vector (read-only: candidates, vectors,
    scoring), and the baseline: reading its stored list, one indexed query."""
    from django.db import connection

    from redaktion.related import services
    from redaktion.related.models import ArticleVector

    rng = random.Random(SEED)  # noqa: S311 - sampling
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(article_id) FROM related_articlevector")
        top = cursor.fetchone()[0]
    ids = []
    while len(ids) < samples:
        found = ArticleVector.objects.filter(pk__gte=rng.randrange(top)).order_by("pk").first()
        if found:
            ids.append(found)
    timings, lookups = [], []
    for stored in ids:
        with timed(timings):
            services.compute_list(services.indexed(stored))
        with timed(lookups), connection.cursor() as cursor:
            cursor.execute(
                "SELECT suggested_id, score FROM related_suggestion WHERE article_id = %s "
                "ORDER BY score DESC LIMIT 20",
                [stored.pk],
            )
            cursor.fetchall()
    return Sample(timings), Sample(lookups)


def measure_publish(count: int) -> Sample:
    from redaktion.news.models import ArticlePage
    from redaktion.related.services import related_index_article

    generate(ArticlePage.objects.count() + count)
    new = list(
        ArticlePage.objects.order_by("-first_published_at", "-pk").values_list("pk", flat=True)[
            :count
        ]
    )
    timings = []
    for pk in reversed(new):
        with timed(timings):
            related_index_article(article_id=pk)
    return Sample(timings)


def rebuild_row(articles: int) -> list[str]:
    """Rebuilds ``articles`` generated articles in a child process (with its workers) and
    measures it (``harness.measure_child``)."""
    from redaktion.news.models import ArticlePage

    print(f"dropped {drop_clones()} copied articles", flush=True)
    # Articles published by an earlier run's publish measurement are dropped, so that the
    # rebuild always sees exactly --articles articles.
    extra = ArticlePage.objects.order_by("pk")[articles:].values_list("pk", flat=True)
    for page in ArticlePage.objects.filter(pk__in=list(extra)):
        page.delete()
    generate(articles)
    run = measure_child([sys.executable, __file__, "--stage", "rebuild"], env=os.environ)
    rebuilt = last_json(run.output)["articles"]
    return [
        f"rebuild of {rebuilt:,} articles",
        f"{run.wall:.0f} s ({run.cpu:.0f} s CPU)",
        f"peak RSS {run.peak_rss / 2**20:,.0f} MB (PSS {run.peak_pss / 2**20:,.0f} MB)",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000, help="articles rebuilt")
    parser.add_argument("--index", type=int, default=1_000_000, help="articles indexed")
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--publish", type=int, default=50)
    parser.add_argument("--stage", choices=["all", "rebuild"], default="all")
    parser.add_argument("--skip-rebuild", action="store_true", help="measure the online path only")
    parser.add_argument("--rebuild-only", action="store_true", help="measure the rebuild only")
    args = parser.parse_args()
    url = require_postgres(os.environ.get("DATABASE_URL", ""), "bench_related")
    if args.stage == "rebuild":
        django_setup()
        stage_rebuild()
        return
    django_on_postgres(url)

    rows = []
    if not args.skip_rebuild:
        rows.append(rebuild_row(args.articles))
        print(markdown_row(rows[-1]), flush=True)
        if args.rebuild_only:
            return
        seconds = clone_index(args.index)
        print(f"index grown to {args.index:,} articles in {seconds:.0f} s", flush=True)
    from redaktion.related.models import ArticleVector

    indexed = ArticleVector.objects.count()
    lists, lookups = measure_lists(args.samples)
    publish = measure_publish(args.publish)
    rows += [
        [
            f"one article's list at {indexed:,} indexed ({lists.n} samples)",
            f"p50 {lists.p50:.1f} ms, p95 {lists.p95:.1f} ms",
            f"max {lists.max:.0f} ms",
        ],
        [
            "baseline: reading a stored list (one indexed query)",
            f"p50 {lookups.p50:.2f} ms, p95 {lookups.p95:.2f} ms",
            f"list/baseline p95 {lists.p95 / lookups.p95:.0f}×",
        ],
        [
            f"publish update ({publish.n} new articles)",
            f"p50 {publish.p50:.0f} ms, p95 {publish.p95:.0f} ms",
            f"max {publish.max:.0f} ms",
        ],
    ]
    print(markdown_table(["measurement", "result", ""], rows))


if __name__ == "__main__":
    main()
