"""What a page-cache miss costs the app, in one process: the CPU time, queries and cache
round trips of rendering the article, home and Ressort pages, without a load generator.

On a shared machine the wall-clock figures of ``bench/pages.py`` move with whatever else
runs; the CPU time of the rendering process and the counts do much less. Generates N
articles into a fresh site (SQLite by default, PostgreSQL with ``--database postgres``),
then renders each page through the WSGI application with production settings and the page
cache off, ``--requests`` times after a warm-up, in two states:

* ``miss_warm``: the shared fragments cached on Redis (``--redis-url``, emptied first), as
  right after a publish purged the page;
* ``cold``: no fragment cache either (``FRAGMENT_CACHE_ENABLED=false``).

For each: the median and p90 of the CPU time per request (``time.process_time``), the
median wall time, the queries and the cache round trips (Redis commands) of one request.
``--profile DIR`` also writes a cProfile of each page's requests there.

    .venv/bin/python bench/render.py --articles 3000 --redis-url redis://127.0.0.1:6379/13
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import sys
import time

import redis
from harness import Sample, django_setup, last_json, markdown_table, site

PAGES = ("article", "home", "ressort")
STATES = {"miss_warm": "true", "cold": "false"}


def measure(requests: int, profile_dir: str) -> dict:
    """Runs inside the site's environment: each page's figures (see the module's doc)."""
    import cProfile

    django_setup(settings="redaktion.settings.production")
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    application = WSGIHandler()
    commands = [0]
    execute = redis.Redis.execute_command

    def counted(self, *args, **options):
        commands[0] += 1
        return execute(self, *args, **options)

    redis.Redis.execute_command = counted

    def get(path: str) -> bytes:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
        }
        status = []
        body = b"".join(application(environ, lambda line, headers, *_: status.append(line)))
        if not status[0].startswith("200"):
            raise SystemExit(f"{path} answered {status[0]}")
        return body

    home = get("/").decode()
    ressort = re.search(r'<nav[^>]*>.*?href="(/[^"/]+/)"', home, re.S).group(1)
    listing = get(ressort).decode()
    article = re.findall(rf'href="({re.escape(ressort)}[^"]+/)"', listing)[-1]
    paths = {"article": article, "home": "/", "ressort": ressort}
    figures = {}
    for page, path in paths.items():
        for _ in range(3):  # renditions made, fragments stored, the route known
            get(path)
        commands[0] = 0
        with CaptureQueriesContext(connection) as queries:
            get(path)
        counts = {"queries": len(queries.captured_queries), "cache_calls": commands[0]}
        cpu, wall = [], []
        profiler = cProfile.Profile() if profile_dir else None
        for _ in range(requests):
            started_cpu, started = time.process_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            get(path)
            if profiler:
                profiler.disable()
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
        if profiler:
            profiler.dump_stats(os.path.join(profile_dir, f"{page}.prof"))
        figures[page] = {
            "path": path,
            "cpu_ms_p50": Sample(cpu).p50,
            "cpu_ms_p90": Sample(cpu).at(0.9),
            "wall_ms_p50": Sample(wall).p50,
            **counts,
        }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--requests", type=int, default=100, help="requests per page and state")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--profile", default="", help="a folder for cProfile files")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.requests, args.profile)))
        return

    print(f"Setting up {args.articles:,} articles on {args.database} …", file=sys.stderr)
    results = {}
    with site(
        database=args.database, postgres_name="redaktion_bench_render", TASK_BACKEND="database"
    ) as bench_site:
        bench_site.python("bench/generate.py", f"--articles={args.articles}")
        for state, fragments in STATES.items():
            redis.Redis.from_url(args.redis_url).flushdb()
            bench_site.env.update(
                PAGE_CACHE_ENABLED="false",
                FRAGMENT_CACHE_ENABLED=fragments,
                REDIS_URL=args.redis_url,
            )
            profile = os.path.join(args.profile, state) if args.profile else ""
            if profile:
                os.makedirs(profile, exist_ok=True)
            options = [f"--requests={args.requests}", f"--profile={profile}", "--measure"]
            results[state] = last_json(bench_site.python(__file__, *options))

    print(f"\n{args.articles:,} articles on {args.database}; {args.requests} requests per row,")
    print("page cache off, production settings, one process.\n")
    rows = [
        [
            f"{page}, {state}",
            f"{figures['cpu_ms_p50']:.2f}",
            f"{figures['cpu_ms_p90']:.2f}",
            f"{figures['wall_ms_p50']:.2f}",
            str(figures["queries"]),
            str(figures["cache_calls"]),
        ]
        for page in PAGES
        for state, by_page in results.items()
        for figures in [by_page[page]]
    ]
    header = ["page, state", "CPU ms p50", "CPU ms p90", "wall ms p50", "queries", "cache calls"]
    print(markdown_table(header, rows, "lrrrrr"))


if __name__ == "__main__":
    main()
