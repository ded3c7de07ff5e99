"""Ad decisions under load: the decision endpoint next to nginx serving a static copy.

Sets up a fresh database (SQLite by default, PostgreSQL with ``--database postgres``) with
every slot enabled, ``--campaigns`` booked campaigns (run of site, by Ressort, by topic;
with goals, daily caps and even pacing) and a house ad, then serves the site with gunicorn
(2 sync workers, production settings, DEBUG off, Redis as the cache, as in production) and
runs wrk against ``/anzeigen/auslieferung/`` with a rotation of slot sets, Ressorts and
topics, as the ads script of different pages would ask. nginx serves one decision's JSON
from disk in the same run as the baseline.

Besides wrk's latency (which includes queueing on two shared cores), the server's own time
per decision is read from gunicorn's access log: the whole request inside the worker
(``%(D)s``, microseconds) and the view's own ``Server-Timing: ads;dur=…``. Their p50, p99
and maximum are printed.

    .venv/bin/python bench/ads.py
    .venv/bin/python bench/ads.py --database postgres --campaigns 200
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

from harness import (  # noqa: E402
    ROOT,
    VENV_BIN,
    WrkResult,
    fetch,
    free_port,
    nginx_static,
    process,
    table,
    wait_for,
    wrk,
)

PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DECISION = "/anzeigen/auslieferung/"
RESSORTS = ["politik", "wirtschaft", "finanzen", "technologie", "panorama"]
TOPICS = 30
# The queries the ads script of the different page types sends.
SLOT_SETS = [
    "slot=home&slot=river&slot=river&slot=river&slot=river&slot=river",
    "slot=article_inline&slot=article_bottom&slot=river&slot=river",
    "slot=ressort",
]


def environment(tmp: Path, database_url: str, redis_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "redaktion.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "REDAKTION_VAR_DIR": str(tmp),
        "TASK_BACKEND": "database",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def fresh_postgres_database(name: str) -> str:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def populate(campaigns: int) -> dict:
    """Runs inside Django: Ressorts, topics, slots, campaigns. Returns ids for the URLs."""
    import random
    from datetime import timedelta

    from django.utils import timezone

    from redaktion.ads.models import Campaign, Creative, Slot
    from redaktion.ads.services import ads_invalidate
    from redaktion.news.factories import RessortPageFactory
    from redaktion.news.models import HomePage, Topic

    rng = random.Random(20240917)
    home = HomePage.objects.get(depth=2)
    ressorts = [RessortPageFactory(parent=home, title=slug.title(), slug=slug) for slug in RESSORTS]
    topics = [Topic.objects.create(name=f"Thema {n}", slug=f"thema-{n}") for n in range(TOPICS)]
    Slot.objects.update(enabled=True)
    slots = list(Slot.objects.all())
    now = timezone.now()
    for n in range(campaigns):
        start = now - timedelta(days=rng.randint(0, 20))
        targeting = n % 3  # run of site, Ressorts, topics
        campaign = Campaign.objects.create(
            name=f"Kampagne {n}",
            advertiser=f"Werbekunde {n % 17}",
            starts_at=start,
            ends_at=start + timedelta(days=rng.randint(21, 60)),
            run_of_site=targeting == 0,
            priority=rng.randint(3, 7),
            weight=rng.randint(1, 50),
            impression_goal=rng.choice([None, 10_000_000, 50_000_000]),
            daily_cap=rng.choice([None, 5_000_000]),
        )
        if targeting == 1:
            campaign.ressorts.set(rng.sample(ressorts, 2))
        elif targeting == 2:
            campaign.topics.set(rng.sample(topics, 3))
        if n % 4 == 0:
            campaign.slots.set(rng.sample(slots, 2))
        campaign.save()
        Creative.objects.create(
            campaign=campaign,
            kind="native",
            brand=f"Marke {n}",
            ressort_label="Reisen",
            title=f"Angebot {n}: eine Woche am Meer",
            text="Sieben Nächte, Frühstück inklusive, Strandkorb am Haus.",
            target_url=f"https://werbekunde-{n}.example/",
        )
        Creative.objects.create(
            campaign=campaign,
            kind="tag",
            tag_html=f"<p>Anzeige {n}</p>",
        )
    house = Campaign.objects.create(
        name="Newsletter",
        advertiser="Redaktion",
        kind="house",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=365),
    )
    Creative.objects.create(
        campaign=house,
        kind="native",
        title="Unser Newsletter",
        text="Jeden Morgen um sechs.",
        target_url="https://redaktion.example/newsletter/",
    )
    # A new generation: nothing cached by an earlier run (same Redis database) is used.
    ads_invalidate()
    return {
        "ressorts": [ressort.pk for ressort in ressorts],
        "topics": [topic.pk for topic in topics],
    }


def urls(ids: dict) -> list[str]:
    """A rotation of decision queries: every slot set with and without Ressort and topics."""
    rng = __import__("random").Random(1)
    result = []
    for n in range(60):
        query = SLOT_SETS[n % len(SLOT_SETS)]
        if n % 5:
            query += f"&ressort={rng.choice(ids['ressorts'])}"
            query += "".join(f"&topic={pk}" for pk in rng.sample(ids["topics"], 3))
        result.append(f"{DECISION}?{query}")
    return result


def wrk_rotating(name, base, paths, *, duration, connections, tmp) -> WrkResult:
    """wrk with a Lua script that walks through ``paths`` request by request."""
    script = tmp / "rotate.lua"
    listed = ",\n".join(f'  "{path}"' for path in paths)
    script.write_text(
        f"paths = {{\n{listed}\n}}\ncounter = 0\n"
        "request = function()\n"
        "  counter = counter + 1\n"
        "  return wrk.format('GET', paths[(counter % #paths) + 1])\n"
        "end\n"
    )
    return wrk(name, base, duration=duration, connections=connections, script=script)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def server_times(log: Path) -> tuple[list[float], list[float]]:
    """(request time in the worker, the view's Server-Timing), in ms, per decision."""
    request, view = [], []
    for line in log.read_text().splitlines():
        match = re.match(r"^DECISION (\d+) ads;dur=([\d.]+)$", line.strip())
        if match:
            request.append(int(match.group(1)) / 1000)
            view.append(float(match.group(2)))
    return request, view


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--campaigns", type=int, default=60)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--duration", type=int, default=15, help="seconds of load")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11")
    parser.add_argument("--populate", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.populate:
        import json

        import django

        django.setup()
        print(json.dumps(populate(args.campaigns)))
        return

    with tempfile.TemporaryDirectory(prefix="redaktion-bench-ads-") as tmp_name:
        tmp = Path(tmp_name)
        if args.database == "postgres":
            database_url = fresh_postgres_database("bench_ads")
        else:
            database_url = f"sqlite:///{tmp / 'bench.sqlite3'}"
        env = environment(tmp, database_url, args.redis_url)
        print(f"Setting up {args.campaigns} campaigns on {args.database} …", file=sys.stderr)
        python = str(VENV_BIN / "python")
        subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], env=env, cwd=ROOT)
        subprocess.run(
            [python, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT
        )
        import json

        populated = subprocess.run(
            [python, __file__, "--populate", f"--campaigns={args.campaigns}"],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        paths = urls(json.loads(populated.stdout.strip().splitlines()[-1]))

        port = free_port()
        log = tmp / "access.log"
        gunicorn = [
            str(VENV_BIN / "gunicorn"),
            "redaktion.wsgi",
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            "--worker-class=sync",
            f"--access-logfile={log}",
            "--access-logformat=DECISION %(D)s %({server-timing}o)s",
            "--log-level=warning",
        ]
        base = f"http://127.0.0.1:{port}"
        with process(gunicorn, env=env, log=tmp / "gunicorn.log"):
            wait_for(base + paths[0])
            sample = fetch(base + paths[0])
            decided = json.loads(sample)["ads"]
            if not any(decided):
                raise SystemExit(f"no ad decided for {paths[0]}: {sample[:300]!r}")
            result = wrk_rotating(
                f"decision, {args.campaigns} campaigns",
                base,
                paths,
                duration=args.duration,
                connections=args.connections,
                tmp=tmp,
            )
        request_ms, view_ms = server_times(log)
        with nginx_static({DECISION: sample}) as static_base:
            baseline = wrk(
                "nginx, static copy of a decision",
                static_base + DECISION,
                duration=args.duration,
                connections=args.connections,
            )

    print(
        f"\n{args.campaigns} campaigns + a house ad on {args.database}, Redis cache; gunicorn "
        f"2 sync workers, wrk -t2 -c{args.connections} -d{args.duration}s, "
        f"{len(paths)} rotating decision URLs (1 to 6 slots each)\n"
    )
    print(table([result], baseline))
    print(f"\nServer time per decision over {len(view_ms):,} requests (ms):\n")
    print("| measure | p50 | p99 | max |\n| --- | ---: | ---: | ---: |")
    for label, values in (
        ("request in the gunicorn worker (%(D)s)", request_ms),
        ("decision view (Server-Timing)", view_ms),
    ):
        print(
            f"| {label} | {percentile(values, 0.5):.2f} | {percentile(values, 0.99):.2f} | "
            f"{max(values):.2f} |"
        )
    failed = [r.name for r in (baseline, result) if r.errors]
    if failed:
        raise SystemExit(f"errors or non-2xx answers during: {', '.join(failed)}")


if __name__ == "__main__":
    main()
