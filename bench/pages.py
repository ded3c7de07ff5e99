"""Reader-page throughput: article, home and Ressort pages next to nginx serving a static copy.

Generates N articles into a fresh database (SQLite by default, PostgreSQL with
``--database postgres``), serves the site with gunicorn (2 workers, production settings,
DEBUG off) and measures each page with wrk on 127.0.0.1, first with Django's page cache off
(every request renders) and then on (Redis, as in production). nginx serves the article's
HTML from disk in the same run as the baseline; every figure is printed with its ratio to it.

    .venv/bin/python bench/pages.py --articles 10000
"""

from __future__ import annotations

import argparse
import re
import sys

from harness import Load, fail_on_errors, fetch, site, static_baseline, wrk_table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    Load.add_options(parser, duration_help="seconds of load per page")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    args = parser.parse_args()
    load = Load.from_options(args)

    print(f"Setting up {args.articles:,} articles on {args.database} …", file=sys.stderr)
    with site(
        database=args.database, postgres_name="redaktion_bench", TASK_BACKEND="database"
    ) as bench_site:
        bench_site.python("bench/generate.py", f"--articles={args.articles}")
        results = []
        for label, cache_env in (
            ("uncached", {"PAGE_CACHE_ENABLED": "false"}),
            ("page cache", {"PAGE_CACHE_ENABLED": "true", "REDIS_URL": args.redis_url}),
        ):
            with bench_site.serve(env=cache_env) as base:
                home = fetch(base + "/").decode()
                ressort_url = re.search(r'<nav[^>]*>.*?href="(/[^"/]+/)"', home, re.S).group(1)
                ressort = fetch(base + ressort_url).decode()
                article_url = re.findall(rf'href="({re.escape(ressort_url)}[^"]+/)"', ressort)[-1]
                if label == "uncached":
                    static_copy = fetch(base + article_url)
                for name, path in (
                    ("article", article_url),
                    ("home", "/"),
                    ("Ressort", ressort_url),
                ):
                    results.append(load.run(f"{name}, {label}", base + path))
    baseline = static_baseline("nginx, static copy of the article", article_url, static_copy, load)

    print(f"\n{args.articles:,} articles on {args.database}; gunicorn 2 sync workers, {load}\n")
    print(wrk_table(results, baseline))
    fail_on_errors([baseline, *results])


if __name__ == "__main__":
    main()
