"""The JSON API under load: the article list and an article's detail, through the page
cache and uncached, next to the article and home pages and to nginx serving static copies,
all in the same run.

Generates ``--articles`` articles into a fresh database (SQLite by default, PostgreSQL with
``--database postgres``), makes an API key with a limit no run reaches (every API request
sends it in ``X-API-Key``, as a partner's app would: the anonymous limit would refuse wrk
after a few hundred requests), serves the site with granian as `make serve` runs it (2
workers of 4 threads, production settings, DEBUG off) and measures with wrk on 127.0.0.1:

* ``nginx``: nginx serving a copy of each answer from disk (the baseline);
* ``app_hit``: the in-app page cache on Redis (``--redis-url``, emptied first), the API's
  gate (key lookup, rate limit) in front of it;
* ``uncached``: every request built anew, no page or fragment cache.

Each row has req/s, p50 and p99 and its req/s as a ratio to nginx's for the same resource.

    .venv/bin/python bench/api.py
    .venv/bin/python bench/api.py --articles 10000 --duration 10
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace

import redis
from harness import (
    GRANIAN_THREADS,
    Load,
    fail_on_errors,
    fetch,
    markdown_table,
    nginx_static,
    site,
)

LAYERS = ("nginx", "app_hit", "uncached")
RESOURCES = ("api list", "api detail", "article page", "home page")
# As a partner's app and browsers ask: with the key, compressed.
GZIP = "Accept-Encoding: gzip"


def paths_of(base: str) -> dict[str, str]:
    """The API's list, the detail of its newest article, that article's page, the home."""
    listing = json.loads(fetch(base + "/api/v1/articles/"))
    newest = listing["items"][0]
    page = "/" + newest["url"].split("/", 3)[3]
    return {
        "api list": "/api/v1/articles/",
        "api detail": f"/api/v1/articles/{newest['id']}/",
        "article page": page,
        "home page": "/",
    }


def measure(load: Load, layer: str, base: str, paths: dict[str, str], results: dict) -> None:
    for resource, path in paths.items():
        results[resource][layer] = load.run(f"{resource}, {layer}", base + path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    args = parser.parse_args()
    results: dict = {resource: {} for resource in RESOURCES}

    print(f"Setting up {args.articles:,} articles on {args.database} …", file=sys.stderr)
    redis.Redis.from_url(args.redis_url).flushdb()
    with site(
        database=args.database,
        postgres_name="bench_api",
        prefix="redaktion-bench-api-",
        TASK_BACKEND="database",
    ) as bench_site:
        bench_site.python("bench/generate.py", f"--articles={args.articles}")
        created = bench_site.python(
            "manage.py", "api_keys", "create", "Benchmark", "--per-minute", "1000000000"
        )
        key = created.strip().splitlines()[-1]
        load = Load(
            duration=args.duration,
            connections=args.connections,
            warmup=1,
            headers=(GZIP, f"X-API-Key: {key}"),
        )
        uncached = {"PAGE_CACHE_ENABLED": "false", "FRAGMENT_CACHE_ENABLED": "false"}
        with bench_site.serve_production(env=uncached) as base:
            paths = paths_of(base)
            copies = {paths[resource]: fetch(base + paths[resource]) for resource in RESOURCES}
            measure(load, "uncached", base, paths, results)
        cached = {"PAGE_CACHE_ENABLED": "true", "REDIS_URL": args.redis_url}
        with bench_site.serve_production(env=cached) as base:
            measure(load, "app_hit", base, paths, results)
    # nginx needs a file per path: the detail's and the list's copies as index.html.
    with nginx_static(copies) as static:
        measure(replace(load, headers=(GZIP,)), "nginx", static, paths, results)

    server = f"granian 2 workers × {GRANIAN_THREADS} threads"
    print(f"\n{args.articles:,} articles on {args.database}; {server}, {load} (API key, gzip)\n")
    print(table(results))
    fail_on_errors(run for resource in RESOURCES for run in results[resource].values())


def table(results: dict) -> str:
    rows = []
    for resource in RESOURCES:
        nginx = results[resource]["nginx"]
        for layer in LAYERS:
            run = results[resource][layer]
            rows.append(
                [
                    f"{resource}, {layer}",
                    f"{run.requests_per_second:,.0f}",
                    f"{run.p50_ms:.2f}",
                    f"{run.p99_ms:.2f}",
                    f"{run.requests_per_second / nginx.requests_per_second:.3f}",
                ]
            )
    header = ["resource, layer", "req/s", "p50 ms", "p99 ms", "req/s vs nginx"]
    return markdown_table(header, rows, "lrrrr")


if __name__ == "__main__":
    main()
