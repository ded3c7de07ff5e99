"""Sperrfrist: how late scheduled articles go live, and reach the home page, under light load.

Sets up a fresh site (SQLite by default, PostgreSQL with ``--database postgres``) with the
German demo newsroom (``redaktion demo``: its articles went through the publish pipeline, so
the worker starts without a backlog), Redis as the page cache as in production (so that the
worker's purge reaches the web processes), gunicorn (2 sync workers, production settings)
and ``redaktion worker`` (the database task backend). Once the worker
has made its first run and sleeps, and while wrk puts a light load on the home page, Ressort
pages and articles (``--connections`` connections, each waiting ``--delay-ms`` between
requests), ``--count`` drafts are scheduled ``--spacing`` seconds apart, the first
``--lead`` seconds ahead, as the editor's "publish" with a go-live does. Then, per article:

* **to live**: its ``first_published_at`` (the moment the scheduler's publish ran) minus its
  go-live time;
* **to the purge**: when the outbox's purge step of its publication finished (derived data
  and announcements come before it), minus its go-live time;
* **to the home page**: this process asks for the home page every ``--poll-ms``
  milliseconds, through the page cache, and notes when the headline first appears; minus
  the go-live time (the poll's interval bounds the resolution).

Median and maximum of each; the targets are at most 1 s to live and 2 s to the home page.
No article may go live early (a negative lateness fails the run), and every one must reach
the home page.

    .venv/bin/python bench/sperrfrist.py
    .venv/bin/python bench/sperrfrist.py --database postgres
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import redis
from harness import (
    VENV_BIN,
    Load,
    Sample,
    Site,
    django_setup,
    fetch,
    last_json,
    markdown_table,
    process,
    site,
)

TARGET_LIVE_S = 1.0
TARGET_HOME_S = 2.0
# Time for the worker to start and make its first (periodic) run before scheduling begins.
WORKER_SETTLE_S = 5


def schedule(count: int, spacing: float, lead: float) -> list[dict]:
    """Runs inside Django: ``count`` drafts in the first Ressort, then each scheduled at
    ``now + lead + i * spacing`` (the go-live times are fixed before the first is scheduled,
    so that scheduling them takes no lead away). Returns id, headline and go-live time."""
    import secrets
    from datetime import timedelta

    from django.utils import timezone
    from wagtail.rich_text import RichText

    from redaktion.news.models import ArticlePage, RessortPage

    ressort = RessortPage.objects.order_by("path").first()
    run = secrets.token_hex(3)
    drafts = []
    for n in range(count):
        title = f"Sperrfrist {run} Meldung {n:02d}"
        drafts.append(
            ressort.add_child(
                instance=ArticlePage(
                    title=title,
                    slug=f"sperrfrist-{run}-{n:02d}",
                    lead=f"Vorspann der Meldung {n:02d} unter Sperrfrist.",
                    body=[("paragraph", RichText("<p>Text unter Sperrfrist.</p>"))],
                    live=False,
                )
            )
        )
    first = timezone.now() + timedelta(seconds=lead)
    planned = []
    for n, draft in enumerate(drafts):
        draft.go_live_at = first + timedelta(seconds=n * spacing)
        draft.save_revision().publish()
        planned.append(
            {"id": draft.pk, "title": draft.title, "go_live_at": draft.go_live_at.isoformat()}
        )
    if timezone.now() >= first:
        raise SystemExit(f"scheduling took longer than --lead {lead} s: raise it")
    return planned


def published(ids: list[int]) -> dict[str, list[str | None]]:
    """Runs inside Django: each article's ``first_published_at`` (None while not live) and
    when the purge of its publication finished (None if it has not)."""
    from redaktion.core.models import OutboxEntry
    from redaktion.news.models import ArticlePage

    live = dict(ArticlePage.objects.filter(pk__in=ids).values_list("pk", "first_published_at"))
    purged = dict(
        OutboxEntry.objects.filter(
            subject__in=[f"article-{pk}" for pk in ids],
            step="news.purge",
            payload__kind="visible",
            state=OutboxEntry.State.DONE,
        ).values_list("subject", "finished_at")
    )

    def iso(value):
        return value.isoformat() if value else None

    return {str(pk): [iso(live.get(pk)), iso(purged.get(f"article-{pk}"))] for pk in ids}


class HomePoller(threading.Thread):
    """Asks for the home page every ``interval`` seconds and notes when each headline is
    first seen (``time.time()``), until all are seen or ``stop`` is set."""

    def __init__(self, url: str, titles: list[str], interval: float):
        super().__init__(daemon=True)
        self.url, self.interval = url, interval
        self.waiting = set(titles)
        self.seen: dict[str, float] = {}
        self.requests = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while self.waiting and not self.stop.is_set():
            html = fetch(self.url).decode()
            now = time.time()
            self.requests += 1
            for title in [title for title in self.waiting if title in html]:
                self.seen[title] = now
                self.waiting.discard(title)
            self.stop.wait(self.interval)


def load_paths(base: str) -> list[str]:
    """The home page, and the Ressort and article pages it links to that answer 200 (up to
    20)."""
    links = re.findall(r'href="(/[a-z0-9-]+/(?:[a-z0-9-]+/)?)"', fetch(base + "/").decode())
    paths = ["/"]
    for link in dict.fromkeys(links):
        try:
            fetch(base + link)
        except OSError:  # a redirect's target elsewhere, a page that asks for a login
            continue
        paths.append(link)
        if len(paths) > 20:
            break
    return paths


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--spacing", type=float, default=3.0, help="seconds between go-lives")
    parser.add_argument("--lead", type=float, default=20.0, help="seconds to the first go-live")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--delay-ms", type=int, default=100)
    parser.add_argument("--poll-ms", type=int, default=100)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--schedule", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--published", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.schedule:
        django_setup()
        print(json.dumps(schedule(args.count, args.spacing, args.lead)))
        return 0
    if args.published:
        django_setup()
        print(json.dumps(published([int(pk) for pk in args.published.split(",")])))
        return 0

    # The page cache of an earlier run must not answer for this one.
    redis.Redis.from_url(args.redis_url).flushdb()
    print(f"Setting up the demo newsroom on {args.database} …", file=sys.stderr)
    with site(
        database=args.database,
        postgres_name="bench_sperrfrist",
        prefix="redaktion-bench-sperrfrist-",
        # The demo publishes with its pipeline run at once; the site then uses the queue.
        TASK_BACKEND="immediate",
        REDIS_URL=args.redis_url,
        PAGE_CACHE_ENABLED="true",
    ) as demo_site:
        demo_site.manage("redaktion_demo", "--quiet")
        bench_site = Site(demo_site.var, {**demo_site.env, "TASK_BACKEND": "database"})
        worker_log = bench_site.var / "worker.log"
        worker = [str(VENV_BIN / "redaktion"), "worker"]
        with (
            bench_site.serve(env=bench_site.env) as base,
            process(worker, env={**bench_site.env, "LOG_LEVEL": "INFO"}, log=worker_log),
        ):
            paths = load_paths(base)
            time.sleep(WORKER_SETTLE_S)
            window = args.lead + args.count * args.spacing + 15
            load = Load(
                duration=int(window), connections=args.connections, warmup=1, delay_ms=args.delay_ms
            )
            load_result: dict = {}
            loader = threading.Thread(
                target=lambda: load_result.update(r=load.run("light load", base, paths=paths)),
                daemon=True,
            )
            load_before = loadavg()
            loader.start()
            time.sleep(load.warmup + 1)
            planned = last_json(
                bench_site.python(
                    __file__,
                    "--schedule",
                    f"--count={args.count}",
                    f"--spacing={args.spacing}",
                    f"--lead={args.lead}",
                )
            )
            poller = HomePoller(base + "/", [p["title"] for p in planned], args.poll_ms / 1000)
            poller.start()
            last = datetime.fromisoformat(planned[-1]["go_live_at"]).timestamp()
            poller.join(timeout=max(0.0, last - time.time()) + 30)
            poller.stop.set()
            load_during = loadavg()
            loader.join()
            live_at = last_json(
                bench_site.python(
                    __file__, f"--published={','.join(str(p['id']) for p in planned)}"
                )
            )
        worker_tail = worker_log.read_text(errors="replace")[-3000:]

    to_live, to_purge, to_home, missing = [], [], [], []
    for entry in planned:
        planned_at = datetime.fromisoformat(entry["go_live_at"]).timestamp()
        went_live, purged = live_at[str(entry["id"])]
        if went_live is None:
            missing.append(f"{entry['title']} (not live)")
            continue
        if entry["title"] not in poller.seen:
            missing.append(f"{entry['title']} (not on the home page)")
            continue
        to_live.append(datetime.fromisoformat(went_live).timestamp() - planned_at)
        if purged:
            to_purge.append(datetime.fromisoformat(purged).timestamp() - planned_at)
        to_home.append(poller.seen[entry["title"]] - planned_at)

    result = load_result.get("r")
    print(
        f"\n{args.count} articles scheduled {args.spacing:g} s apart on {args.database} "
        f"(the demo newsroom, Redis page cache); gunicorn 2 sync workers and "
        f"`redaktion worker`; light load: {load} over {len(paths)} pages"
        + (
            f" ({result.requests_per_second:.0f} req/s, p50 {result.p50_ms:.0f} ms, "
            f"p99 {result.p99_ms:.0f} ms, {result.errors} errors)"
            if result
            else ""
        )
        + f", and the home page every {args.poll_ms} ms ({poller.requests} requests)."
    )
    print(f"Load average (1, 5, 15 min): {load_before} before, {load_during} at the end.\n")
    rows = []
    for label, values, target in (
        ("set time → live (first_published_at)", to_live, TARGET_LIVE_S),
        ("set time → its pages purged (outbox purge step done)", to_purge, None),
        ("set time → headline on the home page", to_home, TARGET_HOME_S),
    ):
        if not values:
            continue
        sample = Sample(values)
        rows.append(
            [
                label,
                f"{sample.n}",
                f"{min(values) * 1000:.0f}",
                f"{sample.p50 * 1000:.0f}",
                f"{sample.max * 1000:.0f}",
                f"≤ {target * 1000:.0f}" if target else "–",
                ("yes" if sample.max <= target else "no") if target else "–",
            ]
        )
    print(
        markdown_table(
            ["lateness", "n", "min ms", "p50 ms", "max ms", "target ms", "met"],
            rows,
            "lrrrrrr",
        )
    )
    early = [value for value in to_live if value < 0]
    if missing or early:
        print(
            f"\nFAILED: {len(missing)} not live or not on the home page {missing}, "
            f"{len(early)} early; the worker's log ends:\n{worker_tail}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
