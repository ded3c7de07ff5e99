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
import os
import re
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import ROOT, VENV_BIN, fetch, gunicorn, nginx_static, table, wrk  # noqa: E402

PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def environment(tmp: Path, database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "redaktion.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "REDAKTION_VAR_DIR": str(tmp),
        "TASK_BACKEND": "database",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(VENV_BIN / "python"), "manage.py", *args], env=env, cwd=ROOT, check=True)


def fresh_postgres_database(name: str) -> str:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="redaktion-bench-") as tmp_name:
        tmp = Path(tmp_name)
        if args.database == "postgres":
            database_url = fresh_postgres_database("redaktion_bench")
        else:
            database_url = f"sqlite:///{tmp / 'bench.sqlite3'}"
        env = environment(tmp, database_url)
        print(f"Setting up {args.articles:,} articles on {args.database} …", file=sys.stderr)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        subprocess.run(
            [str(VENV_BIN / "python"), "bench/generate.py", f"--articles={args.articles}"],
            env=env,
            cwd=ROOT,
            check=True,
        )

        results = []
        for label, cache_env in (
            ("uncached", {"PAGE_CACHE_ENABLED": "false"}),
            ("page cache", {"PAGE_CACHE_ENABLED": "true", "REDIS_URL": args.redis_url}),
        ):
            with gunicorn({**env, **cache_env}, log=tmp / "gunicorn.log") as base:
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
                    results.append(
                        wrk(
                            f"{name}, {label}",
                            base + path,
                            duration=args.duration,
                            connections=args.connections,
                        )
                    )
        with nginx_static({article_url: static_copy}) as static_base:
            baseline = wrk(
                "nginx, static copy of the article",
                static_base + article_url,
                duration=args.duration,
                connections=args.connections,
            )

    print(
        f"\n{args.articles:,} articles on {args.database}; gunicorn 2 sync workers, "
        f"wrk -t2 -c{args.connections} -d{args.duration}s\n"
    )
    print(table(results, baseline))
    failed = [r.name for r in [baseline, *results] if r.errors]
    if failed:
        raise SystemExit(f"errors or non-2xx answers during: {', '.join(failed)}")


if __name__ == "__main__":
    main()
