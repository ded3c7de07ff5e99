"""Scale of "Mehr zum Thema" on PostgreSQL: rebuild, one article's list, the publish update.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_related \\
        .venv/bin/python bench/related.py --articles 100000

The database named in DATABASE_URL is created and migrated if needed, then filled with
generated articles (kept between runs; more are added when ``--articles`` grows). The text
is synthetic German: words are drawn at run time from the vocabulary of the evaluation
texts in ../shared/data (no text is copied anywhere), as a mixture of one of 500 topics and
the general word distribution, so the index sees realistic term statistics and topical
neighbourhoods. Pages are inserted in bulk (tree paths computed here) because the page
factories take half a second an article.

Measured:
* rebuild: ``related_rebuild()`` in a child process, wall time and peak RSS;
* list: computing one indexed article's list (candidates from the inverted index, vectors,
  scoring; read-only) for ``--samples`` random articles, p50/p95/max;
* publish: ``related_index_article()`` for ``--publish`` new articles (analysis, terms,
  candidates, scoring, its list and the lists of older articles), p50/p95/max.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
TOPICS = 500
RESSORTS = 8
SEED = 11


def django_setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redaktion.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def vocabulary() -> tuple[list[str], list[float]]:
    """Words (four letters or more) of the evaluation texts with their frequencies."""
    counts: Counter = Counter()
    word = re.compile(r"[A-Za-zÄÖÜäöüß]{4,}")
    for path in (DATA / "10kgnad-dev.csv", DATA / "wikinews-de.jsonl"):
        if path.exists():
            counts.update(word.findall(path.read_text(encoding="utf-8")))
    if not counts:
        raise SystemExit(f"{DATA} has no evaluation texts to draw words from")
    words = [w for w, _ in counts.most_common()]
    return words, [counts[w] for w in words]


class TextMaker:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.words, self.weights = vocabulary()
        middle = self.words[200:20000] or self.words
        self.topics = [rng.sample(middle, min(60, len(middle))) for _ in range(TOPICS)]

    def article(self, topic: int) -> dict:
        rng = self.rng
        own = self.topics[topic]

        def text(n, share):
            k = int(n * share)
            picked = rng.choices(own, k=k) + rng.choices(self.words, self.weights, k=n - k)
            rng.shuffle(picked)
            return " ".join(picked)

        return {
            "title": text(6, 0.7).capitalize(),
            "lead": text(25, 0.4) + ".",
            "body": text(180, 0.3) + ".",
        }


def generate(total: int) -> None:
    """Adds generated, published articles until the database holds ``total``."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Locale, Page
    from wagtail.rich_text import RichText

    from redaktion.news.models import ArticlePage, HomePage, RessortPage, TaggedArticle, Topic
    from redaktion.news.tests.factories import RessortPageFactory

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
    content_type = ContentType.objects.get_for_model(ArticlePage)
    locale = Locale.get_default()
    now = timezone.now()
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

    def step(n):
        out = ""
        for _ in range(Page.steplen):
            n, r = divmod(n, 36)
            out = alphabet[r] + out
        return out

    started = time.monotonic()
    batch = 2000
    for start in range(have, total, batch):
        stop = min(start + batch, total)
        with transaction.atomic():
            pages, details, tags = [], [], []
            for i in range(start, stop):
                topic = rng.randrange(TOPICS)
                ressort = ressorts[topic % RESSORTS]
                ressort.numchild += 1
                text = maker.article(topic)
                published = now - (total - i) * (now - now.replace(year=now.year - 5)) / total
                slug = f"artikel-{i}"
                pages.append(
                    Page(
                        title=text["title"][:255],
                        draft_title=text["title"][:255],
                        slug=slug,
                        content_type=content_type,
                        path=ressort.path + step(ressort.numchild),
                        depth=ressort.depth + 1,
                        numchild=0,
                        url_path=f"{ressort.url_path}{slug}/",
                        live=True,
                        first_published_at=published,
                        last_published_at=published,
                        locale=locale,
                    )
                )
                details.append((text, topic))
            Page.objects.bulk_create(pages)
            articles = []
            for page, (text, topic) in zip(pages, details, strict=True):
                article = ArticlePage(page_ptr_id=page.pk, lead=text["lead"], kicker="")
                article.body = [("paragraph", RichText(f"<p>{text['body']}</p>"))]
                article.word_count, article.reading_time = 200, 1
                articles.append(article)
                tags.append(TaggedArticle(content_object_id=page.pk, tag=topics[topic]))
            fields = ArticlePage._meta.local_concrete_fields
            ArticlePage._base_manager._insert(articles, fields=fields, raw=True)
            TaggedArticle.objects.bulk_create(tags)
            for ressort in ressorts:
                RessortPage.objects.filter(pk=ressort.pk).update(numchild=ressort.numchild)
        print(f"\rgenerated {stop}/{total} ({time.monotonic() - started:.0f} s)", end="")
    print()


def percentiles(values: list[float]) -> dict:
    ordered = sorted(values)

    def at(q):
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {"p50": at(0.5), "p95": at(0.95), "max": ordered[-1], "n": len(ordered)}


def rebuild_in_child() -> dict:
    """Runs the rebuild in a fresh process so its peak memory is its own."""
    result = subprocess.run(
        [sys.executable, __file__, "--stage", "rebuild"],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def stage_rebuild() -> None:
    from redaktion.related.services import related_rebuild

    started = time.monotonic()
    result = related_rebuild()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "articles": result["articles"],
                "seconds": time.monotonic() - started,
                "peak_mb": peak_kb / 1024,
            }
        )
    )


def measure_lists(samples: int) -> dict:
    from redaktion.related import services
    from redaktion.related.models import ArticleVector

    rng = random.Random(SEED)  # noqa: S311 - sampling
    ids = list(ArticleVector.objects.values_list("pk", flat=True))
    timings = []
    for pk in rng.sample(ids, min(samples, len(ids))):
        started = time.perf_counter()
        query = services.indexed(ArticleVector.objects.get(pk=pk))
        services.compute_list(query)
        timings.append((time.perf_counter() - started) * 1000)
    return percentiles(timings)


def measure_publish(count: int, total: int) -> dict:
    from redaktion.related.services import related_index_article

    generate(total + count)
    from redaktion.news.models import ArticlePage

    new = list(ArticlePage.objects.order_by("-pk").values_list("pk", flat=True)[:count])
    timings = []
    for pk in reversed(new):
        started = time.perf_counter()
        related_index_article(article_id=pk)
        timings.append((time.perf_counter() - started) * 1000)
    return percentiles(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--publish", type=int, default=50)
    parser.add_argument("--stage", choices=["all", "rebuild"], default="all")
    parser.add_argument("--skip-rebuild", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("set DATABASE_URL=postgres://…/bench_related (a database of its own)")
    if args.stage == "rebuild":
        django_setup()
        stage_rebuild()
        return
    ensure_database(url)
    django_setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from redaktion.news.models import ArticlePage

    # Articles published by an earlier run's publish measurement are dropped, so that the
    # rebuild always sees exactly --articles articles.
    extra = ArticlePage.objects.order_by("pk")[args.articles :].values_list("pk", flat=True)
    for page in ArticlePage.objects.filter(pk__in=list(extra)):
        page.delete()
    generate(args.articles)
    rows = []
    if not args.skip_rebuild:
        rebuild = rebuild_in_child()
        rows.append(
            f"| rebuild of {rebuild['articles']:,} articles | {rebuild['seconds']:.0f} s "
            f"| peak {rebuild['peak_mb']:.0f} MB |"
        )
    lists = measure_lists(args.samples)
    rows.append(
        f"| one article's list ({lists['n']} samples) | p50 {lists['p50']:.0f} ms, "
        f"p95 {lists['p95']:.0f} ms | max {lists['max']:.0f} ms |"
    )
    publish = measure_publish(args.publish, args.articles)
    rows.append(
        f"| publish update ({publish['n']} new articles) | p50 {publish['p50']:.0f} ms, "
        f"p95 {publish['p95']:.0f} ms | max {publish['max']:.0f} ms |"
    )
    print("| measurement | result | |")
    print("| --- | --- | --- |")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
