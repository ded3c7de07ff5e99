"""`make bench`: every benchmark in turn, each against a baseline measured in the same run.

    .venv/bin/python bench/run.py                 # pages (10,000 articles on SQLite)
    .venv/bin/python bench/run.py pages --articles 100000 --database postgres
    .venv/bin/python bench/run.py related --articles 100000 --index 1000000
    .venv/bin/python bench/run.py search --articles 1000000
    .venv/bin/python bench/run.py notifications --subscribers 1000000 --followers 200000
    .venv/bin/python bench/run.py ads --campaigns 200
    .venv/bin/python bench/run.py sperrfrist --database postgres
    .venv/bin/python bench/run.py liveticker
    .venv/bin/python bench/run.py counting --rate 1000 --seconds 60
    .venv/bin/python bench/run.py api --articles 10000

Each section is its own script (bench/pages.py, bench/related.py, bench/search.py,
bench/notifications.py, bench/ads.py, bench/sperrfrist.py, bench/liveticker.py,
bench/reads.py, bench/api.py) with its own options; this only runs them with their defaults
or passes the options through.
Results are recorded by hand in docs/benchmarks.md together with the command that produced
them.
"""

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SECTIONS = {
    "pages": [sys.executable, str(HERE / "pages.py")],
    # What a page-cache miss costs the app in one process: CPU time, queries, cache calls.
    "render": [sys.executable, str(HERE / "render.py")],
    # The related-articles scale run needs PostgreSQL (its covering indexes, real planner).
    "related": [
        sys.executable,
        str(HERE / "related.py"),
        "--articles",
        "100000",
        "--index",
        "1000000",
    ],
    # Search at archive scale: PostgreSQL full text with a million generated documents, on
    # a server of its own configured for production (generation takes about 10 minutes the
    # first time; kept between runs).
    "search": [sys.executable, str(HERE / "search.py"), "--articles", "1000000"],
    # Alerts: fan-out to 200,000 of 1,000,000 subscribers and the SMTP sending rate.
    "notifications": [sys.executable, str(HERE / "notifications.py")],
    # Ad decisions against nginx; the server's own time per decision from gunicorn's log.
    "ads": [sys.executable, str(HERE / "ads.py")],
    # Scheduled publishing under light load: lateness to live and to the home page.
    "sperrfrist": [sys.executable, str(HERE / "sperrfrist.py")],
    # Liveticker: 200 readers polling through Varnish while the desk posts every 5 s.
    "liveticker": [sys.executable, str(HERE / "liveticker.py")],
    # Read counting: 1,000 beacons/s for 60 s while pages are served; lost counts and the
    # database's writes per minute after the worker's flush (PostgreSQL, Redis).
    "counting": [sys.executable, str(HERE / "reads.py")],
    # The JSON API's list and detail, cached and uncached, next to the pages and nginx.
    "api": [sys.executable, str(HERE / "api.py")],
}
# related.py asks for a database of its own; notifications.py has its own default.
RELATED_DATABASE = "postgres://postgres@127.0.0.1:5432/bench_related"


def main(argv: list[str]) -> int:
    if argv and argv[0] in SECTIONS:
        names, extra = [argv[0]], argv[1:]
    elif not argv or argv == ["all"]:
        names, extra = list(SECTIONS), []
    else:
        print(f"usage: run.py [{'|'.join(SECTIONS)}|all] [options of that section]")
        return 2
    for name in names:
        print(f"\n== {name} ==", flush=True)
        env = dict(os.environ)
        if name == "related":
            env.setdefault("DATABASE_URL", RELATED_DATABASE)
        command = SECTIONS[name] + extra if not extra else SECTIONS[name][:2] + extra
        result = subprocess.run(command, env=env, check=False)
        if result.returncode:
            return result.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
