"""Read counting under a spike: 1,000 read beacons a second for 60 s while pages are served.

Generates ``--articles`` articles into a fresh PostgreSQL database (``bench_reads``), serves
the site as `make serve` runs it (granian, 2 workers of 4 threads, production settings,
DEBUG off, Redis as the cache, so the counts collect in Redis) with ``redaktion worker``
beside it, whose scheduler writes the counts to the database once a minute. Then, on
127.0.0.1 and at the same time:

* **beacons**: ``POST /gelesen/`` at a fixed rate (``--rate`` a second for ``--seconds``), an
  open loop: each beacon has its planned send time, and its latency is measured from that
  time, so a server that falls behind is seen in the percentiles rather than hidden by a
  slower sender. Each beacon names an article (a skewed choice, as real reads are) and a
  referrer host, and comes from a reader of its own (its own user agent), so each one counts;
* **pages**: wrk on a rotation of article pages, a light bounded load
  (``--page-connections`` connections waiting ``--page-delay-ms`` before each request).

Afterwards the benchmark waits for the worker's next flush (the pending hash in Redis gone)
and compares the beacons answered with the views in the database: **lost** must be 0. The
database's writes are read from PostgreSQL's statistics for the read tables (rows inserted
and updated), sampled every second; **writes per minute** is the most in any 60 s.

    .venv/bin/python bench/reads.py
    .venv/bin/python bench/reads.py --rate 1000 --seconds 60 --articles 2000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import threading
import time

import psycopg
import redis
from harness import (
    LOCAL_POSTGRES,
    VENV_BIN,
    Load,
    Sample,
    django_setup,
    fail_on_errors,
    last_json,
    markdown_table,
    process,
    site,
)

from redaktion.analytics.counting import FLUSHING, PENDING

BEACON = "/gelesen/"
DATABASE = "bench_reads"
READ_TABLES = ("analytics_articlereadhour", "analytics_appliedflush")
REFERRERS = ["", "www.google.de", "news.google.com", "t.co", "www.facebook.com", "duckduckgo.com"]
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0 Leser/{n}"
# The worker flushes once a minute; after the last beacon its next flush comes within that.
FLUSH_WAIT_S = 75
# A beacon still waiting for a connection this long after the last planned one is not sent:
# the run stays bounded when the server falls behind (the table says how many).
CUTOFF_S = 15


def article_ids() -> list[dict]:
    """Runs inside Django: the live articles' ids and paths, newest first."""
    from redaktion.news.models import ArticlePage

    rows = ArticlePage.objects.live().order_by("-first_published_at").only("pk", "url_path")
    return [{"id": page.pk, "path": page.url} for page in rows]


class Beacons:
    """``rate`` beacons a second for ``seconds`` over ``connections`` kept-alive HTTP/1.1
    connections; latencies in ms from each beacon's planned time, statuses counted."""

    def __init__(self, port: int, ids: list[int], *, rate: int, seconds: int, connections: int):
        self.port, self.rate, self.seconds, self.connections = port, rate, seconds, connections
        rng = random.Random(20)
        # Skewed: the first articles are read far more often (as on a news site).
        weights = [1 / (rank + 1) for rank in range(len(ids))]
        total = rate * seconds
        self.articles = rng.choices(ids, weights=weights, k=total)
        self.referrers = [rng.choice(REFERRERS) for _ in range(total)]
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.failures = 0
        self.unsent = 0

    def request(self, n: int) -> bytes:
        body = f"a={self.articles[n]}&r={self.referrers[n]}".encode()
        head = (
            f"POST {BEACON} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"User-Agent: {USER_AGENT.format(n=n)}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        return head.encode() + body

    async def connection(self, queue: asyncio.Queue, started: float) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        while True:
            n = await queue.get()
            if n is None:
                break
            if time.perf_counter() > started + self.seconds + CUTOFF_S:
                self.unsent += 1
                continue
            try:
                writer.write(self.request(n))
                status = int((await reader.readline()).split()[1])
                length = 0
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                if length:
                    await reader.readexactly(length)
            except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
                self.failures += 1
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
                continue
            planned = started + n / self.rate
            self.latencies.append((time.perf_counter() - planned) * 1000)
            self.statuses[status] = self.statuses.get(status, 0) + 1
        writer.close()

    async def run(self) -> float:
        """Sends every beacon at its planned time (or as soon as a connection is free) and
        waits for every answer; returns the seconds it took."""
        queue: asyncio.Queue = asyncio.Queue()
        started = time.perf_counter()
        workers = [
            asyncio.create_task(self.connection(queue, started)) for _ in range(self.connections)
        ]
        for n in range(self.rate * self.seconds):
            delay = started + n / self.rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            queue.put_nowait(n)
        for _ in workers:
            queue.put_nowait(None)
        await asyncio.gather(*workers)
        return time.perf_counter() - started

    @property
    def answered(self) -> int:
        return self.statuses.get(204, 0)


class WriteSampler(threading.Thread):
    """Rows inserted and updated per read table, from PostgreSQL's statistics, every second
    until stopped."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url = url
        self.samples: list[tuple[float, dict[str, int]]] = []
        self.stop = threading.Event()

    def read(self, connection) -> dict[str, int]:
        rows = connection.execute(
            "SELECT relname, n_tup_ins + n_tup_upd FROM pg_stat_user_tables "
            "WHERE relname = ANY(%s)",
            [list(READ_TABLES)],
        ).fetchall()
        return dict.fromkeys(READ_TABLES, 0) | {name: int(n) for name, n in rows}

    def run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as connection:
            while not self.stop.is_set():
                self.samples.append((time.monotonic(), self.read(connection)))
                self.stop.wait(1)
            self.samples.append((time.monotonic(), self.read(connection)))

    def total(self, tables=READ_TABLES) -> int:
        return sum(self.samples[-1][1][t] - self.samples[0][1][t] for t in tables)

    def most_in_a_minute(self, tables=READ_TABLES) -> int:
        most = 0
        for start, before in self.samples:
            inside = [counts for when, counts in self.samples if start <= when <= start + 60]
            most = max(most, sum(inside[-1][t] - before[t] for t in tables))
        return most


def server_cpu_seconds(var) -> float:
    """CPU seconds (user and system) used so far by the site's granian processes: those
    whose environment names the site's directory ``var``."""
    marker = f"REDAKTION_VAR_DIR={var}".encode()
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                if b"granian" not in handle.read():
                    continue
            with open(f"/proc/{entry}/environ", "rb") as handle:
                if marker not in handle.read().split(b"\0"):
                    continue
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def database_views(url: str) -> tuple[int, int, int]:
    """(views in the hourly buckets, views by referrer host, flushes written)."""
    with psycopg.connect(url) as connection:
        views = connection.execute(
            "SELECT coalesce(sum(views), 0) FROM analytics_articlereadhour"
        ).fetchone()[0]
        referred = connection.execute(
            "SELECT coalesce(sum(value::int), 0) FROM analytics_articlereadhour, "
            "jsonb_each_text(referrers)"
        ).fetchone()[0]
        flushes = connection.execute("SELECT count(*) FROM analytics_appliedflush").fetchone()[0]
    return int(views), int(referred), int(flushes)


def wait_for_flush(client: redis.Redis, worker_log) -> float:
    """Seconds until the worker has written the last batch (nothing pending in Redis)."""
    started = time.monotonic()
    while time.monotonic() - started < FLUSH_WAIT_S:
        if not client.exists(PENDING) and not client.exists(FLUSHING):
            return time.monotonic() - started
        time.sleep(0.5)
    tail = worker_log.read_text(errors="replace")[-2000:]
    raise SystemExit(
        f"the worker did not flush the counts within {FLUSH_WAIT_S} s; its log ends:\n{tail}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rate", type=int, default=1000, help="beacons a second")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--beacon-connections", type=int, default=32)
    parser.add_argument("--page-connections", type=int, default=4)
    parser.add_argument("--page-delay-ms", type=int, default=40)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--ids", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.ids:
        django_setup()
        print(json.dumps(article_ids()))
        return

    client = redis.Redis.from_url(args.redis_url)
    client.flushdb()
    url = f"{LOCAL_POSTGRES}/{DATABASE}"
    print(f"Setting up {args.articles:,} articles on PostgreSQL …", file=sys.stderr)
    with site(
        database="postgres",
        postgres_name=DATABASE,
        prefix="redaktion-bench-reads-",
        REDIS_URL=args.redis_url,
        TASK_BACKEND="database",
        PAGE_CACHE_ENABLED="true",
    ) as bench_site:
        bench_site.python("bench/generate.py", f"--articles={args.articles}")
        articles = last_json(bench_site.python(__file__, "--ids"))
        ids = [item["id"] for item in articles]
        paths = [item["path"] for item in articles[:50]]
        worker = [str(VENV_BIN / "redaktion"), "worker"]
        beacons = Beacons(
            0, ids, rate=args.rate, seconds=args.seconds, connections=args.beacon_connections
        )
        pages = Load(
            duration=args.seconds,
            connections=args.page_connections,
            warmup=1,
            delay_ms=args.page_delay_ms,
        )
        with (
            bench_site.serve_production(ready=paths[0]) as base,
            process(worker, env=bench_site.env, log=bench_site.var / "worker.log"),
        ):
            beacons.port = int(base.rsplit(":", 1)[1])
            sampler = WriteSampler(url)
            sampler.start()
            page_result: dict = {}

            def load_pages() -> None:
                try:
                    page_result["r"] = pages.run("article pages", base, paths=paths)
                except BaseException as exc:  # SystemExit too (wrk missing): said below
                    page_result["error"] = exc

            loader = threading.Thread(target=load_pages, daemon=True)
            loader.start()
            time.sleep(pages.warmup)  # wrk's warm-up, so both loads overlap for the whole run
            load_before = os.getloadavg()[0]
            cpu_before = server_cpu_seconds(bench_site.var)
            elapsed = asyncio.run(beacons.run())
            cpu_used = server_cpu_seconds(bench_site.var) - cpu_before
            load_during = os.getloadavg()[0]
            loader.join()
            flush_wait = wait_for_flush(client, bench_site.var / "worker.log")
            time.sleep(2)  # the worker's statistics reach pg_stat_user_tables
            sampler.stop.set()
            sampler.join()
        views, referred, flushes = database_views(url)

    answered = beacons.answered
    times = Sample(beacons.latencies)
    if "r" not in page_result:
        raise SystemExit(f"the page load failed: {page_result.get('error')!r}")
    page = page_result["r"]
    served = answered + page.requests_per_second * pages.duration
    print(
        f"\n{args.articles:,} articles on PostgreSQL, Redis cache; granian 2 workers × 4 "
        f"threads and `redaktion worker` (a flush a minute); {args.rate:,} beacons/s for "
        f"{args.seconds} s over {args.beacon_connections} connections (sent in {elapsed:.1f} s), "
        f"pages: {pages} over {len(paths)} article pages; 1-min load average "
        f"{load_before:.2f} before, {load_during:.2f} at the end\n"
    )
    rows = [
        ["beacons planned / answered 204", f"{args.rate * args.seconds:,} / {answered:,}"],
        [f"not sent ({CUTOFF_S} s behind plan)", f"{beacons.unsent:,}"],
        ["other answers, connection errors", f"{beacons.statuses}, {beacons.failures}"],
        [
            "beacon latency p50 / p99 / max (ms)",
            f"{times.p50:.1f} / {times.p99:.1f} / {times.max:.1f}",
        ],
        [
            "server CPU per request, beacons and pages (ms)",
            f"{cpu_used * 1000 / max(1.0, served):.2f}",
        ],
        ["views in the database (hourly buckets)", f"{views:,}"],
        ["views by referrer host", f"{referred:,}"],
        ["lost counts (answered − in the database)", f"{answered - views:,}"],
        ["flushes written / wait for the last (s)", f"{flushes} / {flush_wait:.1f}"],
        ["rows written to the read tables, total", f"{sampler.total():,}"],
        ["database writes per minute (most in any 60 s)", f"{sampler.most_in_a_minute():,}"],
        [
            "… of them hourly buckets (views and referrer hosts)",
            f"{sampler.most_in_a_minute(READ_TABLES[:1]):,}",
        ],
        ["articles the planned beacons name", f"{len(set(beacons.articles)):,}"],
        [
            "article pages meanwhile: req/s, p50 / p99 (ms)",
            f"{page.requests_per_second:,.0f}, {page.p50_ms:.2f} / {page.p99_ms:.2f}",
        ],
    ]
    print(markdown_table(["measure", "value"], rows, "lr"))
    fail_on_errors([page])
    if views != answered or referred != answered:
        raise SystemExit("counts were lost")


if __name__ == "__main__":
    main()
