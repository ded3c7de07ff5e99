"""Reader-page throughput: article, home and Ressort pages through every layer, each next to
nginx serving a static copy of the same page in the same run.

Generates N articles into a fresh database (SQLite by default, PostgreSQL with
``--database postgres``), serves the site with granian as `make serve` runs it (2 workers of
4 threads here, production settings, DEBUG off) and measures each page with wrk on
127.0.0.1:

* ``nginx``: nginx serving the page's HTML from disk (the baseline);
* ``varnish_bare``: Varnish with a minimal VCL serving that copy from its cache;
* ``varnish``: the project through Varnish with the shipped VCL (a hit);
* ``app_hit``: the in-app page cache on Redis (a hit, no Varnish; each process gives its
  recent answers again for a second, as the embedded default does);
* ``miss_warm``: every request rendered (``PAGE_CACHE_ENABLED=false``), the shared
  fragments (menu, river, "Mehr zum Thema", body) cached on Redis;
* ``cold``: every request rendered without any cache (``FRAGMENT_CACHE_ENABLED=false`` too).

Each row has req/s, p50 and p99 at ``--connections`` (32) and p50 at one connection, each as
a ratio to nginx. The figures are also written to ``var/bench/pages.json`` (for each page the
req/s of every layer) so that later runs can be compared by a script. The Redis database of
``--redis-url`` is the benchmark's own: it is emptied first, so that no page or fragment of
an earlier run's site is served.

Then, through Varnish with the worker purging it by key (``bench/publishing.py``):
**publish-to-live** on home, Ressort, topic page and RSS feed, and a **spike** of 60 s at 64
connections while an article is published every 5 s, and the same spike over the newest
``--long-tail`` articles read as Zipf's law says (``--no-publishing`` leaves these out).

    .venv/bin/python bench/pages.py --articles 10000
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import publishing
import redis
from harness import (
    GRANIAN_THREADS,
    ROOT,
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
    wait_until_idle,
)

from redaktion.core import varnish

LAYERS = ("nginx", "varnish_bare", "varnish", "app_hit", "miss_warm", "cold")
PAGES = ("article", "home", "ressort")
# Every request asks for gzip, as browsers do: Varnish keeps the project's pages compressed
# and would otherwise decompress each answer (4,509 against 19,470 req/s for the home page
# through `make serve` here, 6 December 2026).
GZIP = ("Accept-Encoding: gzip",)
SINGLE = Load(duration=5, connections=1, warmup=1, headers=GZIP)

BARE_VCL = """vcl 4.1;
backend static {{ .host = "127.0.0.1"; .port = "{port}"; }}
sub vcl_backend_response {{ set beresp.ttl = 1h; }}
"""


def page_paths(base: str) -> dict[str, str]:
    """The home page, the first Ressort in the menu and the last article that Ressort lists."""
    home = fetch(base + "/").decode()
    ressort = re.search(r'<nav[^>]*>.*?href="(/[^"/]+/)"', home, re.S).group(1)
    listing = fetch(base + ressort).decode()
    article = re.findall(rf'href="({re.escape(ressort)}[^"]+/)"', listing)[-1]
    return {"article": article, "home": "/", "ressort": ressort}


def measure(load: Load, layer: str, base: str, paths: dict[str, str], results: dict) -> None:
    """Each page at ``load`` and at one connection; the runs also go to ``results["runs"]``
    for the error check."""
    for page, path in paths.items():
        busy = load.run(f"{page}, {layer}", base + path)
        single = SINGLE.run(f"{page}, {layer}, c1", base + path)
        results[page][layer] = {**asdict(busy), "c1_p50_ms": single.p50_ms}
        results["runs"] += [busy, single]


def newest_paths(count: int) -> list[str]:
    """Runs inside Django: the paths of the ``count`` newest live articles, newest first."""
    from redaktion.news.models import ArticlePage

    articles = ArticlePage.objects.live().order_by("-first_published_at")[:count]
    return [article.get_url() for article in articles]


def port_of(base: str) -> int:
    return urlsplit(base).port


def count_queries(paths: dict[str, str]) -> dict[str, dict[str, int]]:
    """Runs inside Django: the queries of each page rendered with no cache and with its
    shared fragments warm (as ``news/tests/test_query_counts.py`` counts them at 20 and 50
    articles), so a run at any scale shows whether they stay the same."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    counts: dict[str, dict[str, int]] = {"cold": {}, "warm": {}}
    client = Client()
    for state, fragments in (("cold", False), ("warm", True)):
        with override_settings(
            PAGE_CACHE_ENABLED=False, FRAGMENT_CACHE_ENABLED=fragments, ALLOWED_HOSTS=["*"]
        ):
            cache.clear()
            for page, path in paths.items():
                client.get(path)  # renditions made; with fragments, the fragments stored
                with CaptureQueriesContext(connection) as queries:
                    status = client.get(path).status_code
                if status != 200:
                    raise SystemExit(f"{path} answered {status}")
                counts[state][page] = len(queries.captured_queries)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    Load.add_options(parser, duration_help="seconds of load per page and layer")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--output", default=str(ROOT / "var" / "bench" / "pages.json"))
    parser.add_argument(
        "--no-publishing", action="store_true", help="leave out publish-to-live and the spike"
    )
    parser.add_argument(
        "--long-tail",
        type=int,
        default=1000,
        help="articles read in the long-tail spike (default 1,000)",
    )
    parser.add_argument("--queries", help=argparse.SUPPRESS)
    parser.add_argument("--newest", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.queries:
        django_setup(settings="redaktion.settings.production")
        print(json.dumps(count_queries(json.loads(args.queries))))
        return
    if args.newest:
        django_setup(settings="redaktion.settings.production")
        print(json.dumps(newest_paths(args.newest)))
        return
    load = replace(Load.from_options(args), headers=GZIP)
    results: dict = {page: {} for page in PAGES} | {"runs": []}

    print(f"Setting up {args.articles:,} articles on {args.database} …", file=sys.stderr)
    redis.Redis.from_url(args.redis_url).flushdb()
    with site(
        database=args.database, postgres_name="redaktion_bench", TASK_BACKEND="database"
    ) as bench_site:
        bench_site.python("bench/generate.py", f"--articles={args.articles}")
        uncached = {"PAGE_CACHE_ENABLED": "false", "FRAGMENT_CACHE_ENABLED": "false"}
        with bench_site.serve_production(env=uncached) as base:
            paths = page_paths(base)
            copies = {paths[page]: fetch(base + paths[page]) for page in PAGES}
        queries = last_json(bench_site.python(__file__, f"--queries={json.dumps(paths)}"))
        results["queries"] = queries
        with bench_site.serve_production(env=uncached) as base:
            measure(load, "cold", base, paths, results)
        fragments = {**uncached, "FRAGMENT_CACHE_ENABLED": "true", "REDIS_URL": args.redis_url}
        with bench_site.serve_production(env=fragments) as base:
            measure(load, "miss_warm", base, paths, results)
        # The embedded default without a front cache: each process also keeps its recent
        # answers (PAGE_CACHE_LOCAL_SECONDS), which a purged front cache turns off.
        cached = {"PAGE_CACHE_ENABLED": "true", "REDIS_URL": args.redis_url}
        with bench_site.serve_production(env=cached) as base:
            measure(load, "app_hit", base, paths, results)
        front_port = free_port()
        fronted = {**cached, "VARNISH_PURGE_URLS": f"http://127.0.0.1:{front_port}/"}
        production = Site(bench_site.var, {**bench_site.env, **fronted})
        worker = [str(VENV_BIN / "redaktion"), "worker"]
        with (
            production.serve_production(env=production.env) as base,
            process(worker, env=production.env, log=production.var / "worker.log") as running,
            tempfile.TemporaryDirectory(prefix="redaktion-bench-varnish-") as varnish_dir,
        ):
            # Its start and first scheduler run (the reconciliation reads every article's
            # facts) would otherwise take the cores from the first page measured.
            wait_until_idle(running.pid)
            backend = ("127.0.0.1", port_of(base))
            workdir = Path(varnish_dir)
            with varnish.running(backend=backend, port=front_port, workdir=workdir) as front:
                measure(load, "varnish", front, paths, results)
                if not args.no_publishing:
                    print("Publish-to-live …", file=sys.stderr)
                    results["publish_to_live"] = publishing.publish_to_live(production, front)
                    print("Spike …", file=sys.stderr)
                    spike_paths = [paths["home"], paths["article"]]
                    results["spike"] = publishing.spike(
                        production, front, workdir / "n", spike_paths
                    )
                    print("Long-tail spike …", file=sys.stderr)
                    newest = last_json(bench_site.python(__file__, f"--newest={args.long_tail}"))
                    results["spike_long_tail"] = publishing.spike(
                        production,
                        front,
                        workdir / "n",
                        publishing.zipf_rotation(["/", *newest]),
                    )
    with nginx_static(copies) as static:
        measure(load, "nginx", static, paths, results)
        bare = BARE_VCL.format(port=port_of(static))
        backend = ("127.0.0.1", port_of(static))
        with varnish.running(backend=backend, port=free_port(), vcl=bare) as front:
            measure(load, "varnish_bare", front, paths, results)

    server = f"granian 2 workers × {GRANIAN_THREADS} threads"
    print(f"\n{args.articles:,} articles on {args.database}; {server}, {load}")
    print("(Accept-Encoding: gzip on every request)")
    print(f"and {SINGLE} for the c1 p50.\n")
    print(table(results))
    print(
        "\nqueries per page (no cache / shared fragments warm): "
        + ", ".join(
            f"{page} {results['queries']['cold'][page]} / {results['queries']['warm'][page]}"
            for page in PAGES
        )
    )
    if "publish_to_live" in results:
        print("\npublish-to-live: from publish() returning until Varnish serves the headline\n")
        print(publishing.publish_table(results["publish_to_live"]))
        print(f"\nspike: {results['spike']['load']}, home and an article through Varnish, ")
        print(f"an article published every {publishing.SPIKE_INTERVAL_S} s\n")
        print(publishing.spike_table(results["spike"]))
        tail = results["spike_long_tail"]
        print(f"\nlong-tail spike: the same over the home page and {tail['distinct_paths'] - 1:,}")
        print("articles read as Zipf's law says (s = 1)\n")
        print(publishing.spike_table(tail))
    write_json(args, load, results)
    fail_on_errors(results["runs"])


def table(results: dict) -> str:
    rows = []
    for page in PAGES:
        nginx = results[page]["nginx"]
        for layer in LAYERS:
            row = results[page].get(layer)
            if row is None:
                rows.append([f"{page}, {layer}", "–", "–", "–", "–", "–", "–", "–"])
                continue
            rows.append(
                [
                    f"{page}, {layer}",
                    f"{row['requests_per_second']:,.0f}",
                    f"{row['p50_ms']:.2f}",
                    f"{row['p99_ms']:.2f}",
                    f"{row['c1_p50_ms']:.2f}",
                    f"{row['requests_per_second'] / nginx['requests_per_second']:.3f}",
                    f"{row['p50_ms'] / nginx['p50_ms']:.1f}×",
                    f"{row['c1_p50_ms'] / nginx['c1_p50_ms']:.1f}×",
                ]
            )
    header = [
        "page, layer",
        "req/s",
        "p50 ms",
        "p99 ms",
        "c1 p50 ms",
        "req/s vs nginx",
        "p50 vs nginx",
        "c1 p50 vs nginx",
    ]
    return markdown_table(header, rows, "lrrrrrrr")


def write_json(args, load: Load, results: dict) -> None:
    """``var/bench/pages.json``: per page the req/s of each layer (null: not measured), the
    details of each run, and the publish-to-live and spike figures (null when left out)."""
    document = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "articles": args.articles,
        "database": args.database,
        "load": str(load),
        **{
            page: {
                layer: results[page].get(layer, {}).get("requests_per_second") for layer in LAYERS
            }
            for page in PAGES
        },
        "details": {page: results[page] for page in PAGES},
        "queries": results["queries"],
        "publish_to_live": results.get("publish_to_live"),
        "spike": results.get("spike"),
        "spike_long_tail": results.get("spike_long_tail"),
        **publishing.summary(results),
    }
    output = ROOT / args.output  # an absolute --output stays as it is
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(document, indent=2) + "\n")
    print(f"\nwritten to {output}", file=sys.stderr)


if __name__ == "__main__":
    main()
