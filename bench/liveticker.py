"""Liveticker: how soon a new entry reaches readers who poll through the front cache, what it
costs the origin, and the poll answer's rate through the cache against nginx.

Sets up a fresh site (SQLite) with the German demo newsroom (``redaktion demo``: its ticker
of 60 entries, reopened here), the production stack in front of it: granian (2 workers,
production settings), Varnish with the shipped VCL (the app purges it by surrogate key,
``VARNISH_PURGE_URLS``), Redis as the page and fragment cache, and ``redaktion worker``
(the database task backend, so the outbox's purge step runs as in production). Then:

* **readers**: ``--readers`` threads in this process each ask for the poll answer
  (``/live/<id>/eintraege/?since=<newest seen>``) through Varnish every ``--interval``
  seconds, their first polls spread over one interval, as readers who opened the page at
  different moments;
* **the desk**: meanwhile a separate process posts ``--entries`` entries ``--spacing``
  seconds apart through ``live_services.entry_publish`` (what the admin's quick form calls),
  so each one goes through the outbox, the worker and the purge of Varnish;
* per entry and reader, the time from the entry's commit to the first answer that carries
  it (median and maximum; target: the maximum at most the poll interval + 1 s), and the
  answers Varnish fetched from the origin (``X-Cache: MISS``) per entry;
* afterwards, wrk against the poll answer through Varnish and against nginx serving a copy
  of it from disk, in the same run (the ratio of req/s).

    .venv/bin/python bench/liveticker.py
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
import urllib.request
from pathlib import Path

import redis
from harness import (
    VENV_BIN,
    Load,
    Site,
    django_setup,
    fail_on_errors,
    fetch,
    free_port,
    last_json,
    markdown_table,
    nginx_static,
    process,
    site,
    wrk_table,
)

from redaktion.core import varnish

# Time for the worker to start and make its first (periodic) run before the desk posts.
WORKER_SETTLE_S = 5


def open_ticker() -> dict:
    """Runs inside Django: the demo's ticker, reopened (its day is over in the demo); its id
    and newest entry."""
    from django.db.models import Max

    from redaktion.demo.liveticker import SLUG
    from redaktion.news.live import LiveTickerEntry, LiveTickerPage

    ticker = LiveTickerPage.objects.get(slug=SLUG)
    LiveTickerPage.objects.filter(pk=ticker.pk).update(closed_at=None)
    newest = LiveTickerEntry.objects.filter(ticker=ticker).aggregate(newest=Max("pk"))["newest"]
    return {"id": ticker.pk, "newest": newest}


def post_entries(ticker_id: int, count: int, spacing: float) -> dict[str, float]:
    """Runs inside Django: ``count`` entries ``spacing`` seconds apart, as the desk's quick
    form posts them; each entry's id and the moment its transaction committed."""
    from django.contrib.auth import get_user_model
    from wagtail.rich_text import RichText

    from redaktion.news.live import LiveTickerEntry, LiveTickerPage
    from redaktion.news.live_services import entry_publish

    user = get_user_model().objects.filter(is_superuser=True).first()
    if user is None:
        user = get_user_model().objects.create_superuser("cvd-bench", "cvd@example.org", None)
    ticker = LiveTickerPage.objects.get(pk=ticker_id)
    posted = {}
    start = time.time()
    for n in range(count):
        time.sleep(max(0.0, start + n * spacing - time.time()))
        entry = LiveTickerEntry(
            title=f"Eintrag {n + 1} der Messung",
            body=[("paragraph", RichText(f"<p>Neuer Stand Nummer {n + 1}.</p>"))],
        )
        entry_publish(user=user, ticker=ticker, entry=entry)
        posted[str(entry.pk)] = time.time()
    return posted


class Reader(threading.Thread):
    """One reader: polls ``url`` every ``interval`` seconds from ``offset`` on, carrying the
    newest entry id seen, and notes when each entry was first seen (``time.time()``)."""

    def __init__(self, url: str, since: int, interval: float, offset: float, stop):
        super().__init__(daemon=True)
        self.url, self.since, self.interval, self.offset = url, since, interval, offset
        self.stop = stop
        self.seen: dict[int, float] = {}
        self.requests = self.misses = self.errors = 0

    def run(self) -> None:
        next_poll = time.time() + self.offset
        while not self.stop.wait(max(0.0, next_poll - time.time())):
            next_poll += self.interval
            try:
                with urllib.request.urlopen(  # noqa: S310 (loopback)
                    f"{self.url}?since={self.since}", timeout=10
                ) as response:
                    answer = json.loads(response.read())
                    miss = response.headers.get("X-Cache") == "MISS"
            except OSError:
                self.errors += 1
                continue
            now = time.time()
            self.requests += 1
            self.misses += miss
            for entry in answer["entries"]:
                self.seen.setdefault(entry["id"], now)
            self.since = max(self.since, answer["latest"])


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between polls")
    parser.add_argument("--entries", type=int, default=12)
    parser.add_argument("--spacing", type=float, default=5.0, help="seconds between entries")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11")
    parser.add_argument("--open", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--post", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.open:
        django_setup()
        print(json.dumps(open_ticker()))
        return 0
    if args.post:
        django_setup()
        print(json.dumps(post_entries(args.post, args.entries, args.spacing)))
        return 0

    redis.Redis.from_url(args.redis_url).flushdb()
    front_port = free_port()
    print("Setting up the demo newsroom on SQLite …", file=sys.stderr)
    with site(
        prefix="redaktion-bench-liveticker-",
        TASK_BACKEND="immediate",
        REDIS_URL=args.redis_url,
        PAGE_CACHE_ENABLED="true",
    ) as demo_site:
        demo_site.manage("redaktion_demo", "--quiet")
        # From here on the app purges Varnish, which runs in front of it.
        front_purge = f"http://127.0.0.1:{front_port}/"
        bench_env = {"TASK_BACKEND": "database", "VARNISH_PURGE_URLS": front_purge}
        bench_site = Site(demo_site.var, {**demo_site.env, **bench_env})
        worker = [str(VENV_BIN / "redaktion"), "worker"]
        worker_log = bench_site.var / "worker.log"
        ticker = last_json(bench_site.python(__file__, "--open"))
        path = f"/live/{ticker['id']}/eintraege/"
        with (
            bench_site.serve_production() as base,
            varnish.running(
                backend=("127.0.0.1", int(base.rsplit(":", 1)[1])), port=front_port
            ) as front,
            process(worker, env={**bench_site.env, "LOG_LEVEL": "INFO"}, log=worker_log),
        ):
            time.sleep(WORKER_SETTLE_S)
            stop = threading.Event()
            readers = [
                Reader(
                    front + path,
                    ticker["newest"],
                    args.interval,
                    args.interval * n / args.readers,
                    stop,
                )
                for n in range(args.readers)
            ]
            load_before = loadavg()
            for reader in readers:
                reader.start()
            time.sleep(args.interval)  # every reader has polled once
            before = sum(r.requests for r in readers), sum(r.misses for r in readers)
            posted = {
                int(pk): at
                for pk, at in last_json(
                    bench_site.python(
                        __file__,
                        f"--post={ticker['id']}",
                        f"--entries={args.entries}",
                        f"--spacing={args.spacing}",
                    )
                ).items()
            }
            deadline = time.time() + args.interval + 5
            while time.time() < deadline and not all(set(posted) <= set(r.seen) for r in readers):
                time.sleep(0.5)
            stop.set()
            for reader in readers:
                reader.join()
            load_during = loadavg()
            polls = sum(r.requests for r in readers) - before[0]
            misses = sum(r.misses for r in readers) - before[1]
            errors = sum(r.errors for r in readers)
            latest = max(posted)
            poll_url = f"{front}{path}?since={latest - 1}"
            answer = fetch(poll_url)
            load = Load(duration=args.duration, connections=args.connections, warmup=2)
            through_cache = load.run("poll answer, Varnish", poll_url)
        with nginx_static({path: answer}) as static:
            baseline = load.run("poll answer, nginx (static copy)", f"{static}{path}")
        worker_tail = worker_log.read_text(errors="replace")[-3000:]

    delays = [
        reader.seen[pk] - at for reader in readers for pk, at in posted.items() if pk in reader.seen
    ]
    first = [min(r.seen[pk] for r in readers if pk in r.seen) - at for pk, at in posted.items()]
    missing = len(posted) * len(readers) - len(delays)
    target = args.interval + 1
    print(
        f"\n{args.readers} readers polling every {args.interval:g} s through Varnish while "
        f"{len(posted)} entries were posted {args.spacing:g} s apart (the demo ticker, SQLite, "
        f"granian 2 workers, `redaktion worker`); {polls} polls, {errors} errors."
    )
    print(f"Load average (1, 5, 15 min): {load_before} before, {load_during} after the polls.\n")
    rows = [
        [
            "publish → visible to a reader (every reader, every entry)",
            f"{len(delays)}",
            f"{statistics.median(delays):.2f}" if delays else "–",
            f"{max(delays):.2f}" if delays else "–",
            f"≤ {target:g}",
            "yes" if delays and max(delays) <= target and not missing else "no",
        ],
        [
            "publish → visible to the first reader",
            f"{len(first)}",
            f"{statistics.median(first):.2f}",
            f"{max(first):.2f}",
            "–",
            "–",
        ],
    ]
    print(markdown_table(["time", "n", "p50 s", "max s", "target s", "met"], rows, "lrrrrr"))
    print(
        f"\nOrigin requests (Varnish misses) while the entries came: {misses} for "
        f"{len(posted)} entries, {misses / len(posted):.1f} per entry "
        f"({polls / max(misses, 1):.0f} polls per origin request).\n"
    )
    print(f"{load}:\n")
    print(wrk_table([through_cache], baseline))
    fail_on_errors([through_cache, baseline])
    if missing:
        print(
            f"\nFAILED: {missing} (reader, entry) pairs never seen; the worker's log ends:\n"
            f"{worker_tail}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
