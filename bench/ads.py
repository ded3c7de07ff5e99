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
import json
import random
import re
import sys
from pathlib import Path

from harness import (
    Load,
    Sample,
    django_setup,
    fail_on_errors,
    fetch,
    last_json,
    markdown_table,
    site,
    static_baseline,
    wrk_table,
)

DECISION = "/anzeigen/auslieferung/"
RESSORTS = ["politik", "wirtschaft", "finanzen", "technologie", "panorama"]
TOPICS = 30
# The queries the ads script of the different page types sends.
SLOT_SETS = [
    "slot=home&slot=river&slot=river&slot=river&slot=river&slot=river",
    "slot=article_inline&slot=article_bottom&slot=river&slot=river",
    "slot=ressort",
]
# One line per request in gunicorn's access log: the time in the worker (µs), Server-Timing.
ACCESS_FORMAT = "DECISION %(D)s %({server-timing}o)s"


def populate(campaigns: int) -> dict:
    """Runs inside Django: Ressorts, topics, slots, campaigns. Returns ids for the URLs."""
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
    rng = random.Random(1)
    result = []
    for n in range(60):
        query = SLOT_SETS[n % len(SLOT_SETS)]
        if n % 5:
            query += f"&ressort={rng.choice(ids['ressorts'])}"
            query += "".join(f"&topic={pk}" for pk in rng.sample(ids["topics"], 3))
        result.append(f"{DECISION}?{query}")
    return result


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
    Load.add_options(parser)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11")
    parser.add_argument("--populate", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    load = Load.from_options(args)

    if args.populate:
        django_setup()
        print(json.dumps(populate(args.campaigns)))
        return

    print(f"Setting up {args.campaigns} campaigns on {args.database} …", file=sys.stderr)
    with site(
        database=args.database,
        postgres_name="bench_ads",
        prefix="redaktion-bench-ads-",
        REDIS_URL=args.redis_url,
        TASK_BACKEND="database",
    ) as bench_site:
        populated = bench_site.python(__file__, "--populate", f"--campaigns={args.campaigns}")
        paths = urls(last_json(populated))
        log = bench_site.var / "access.log"
        with bench_site.serve(access_log=log, access_format=ACCESS_FORMAT, ready=paths[0]) as base:
            sample = fetch(base + paths[0])
            if not any(json.loads(sample)["ads"]):
                raise SystemExit(f"no ad decided for {paths[0]}: {sample[:300]!r}")
            result = load.run(f"decision, {args.campaigns} campaigns", base, paths=paths)
        request_ms, view_ms = server_times(log)
    baseline = static_baseline("nginx, static copy of a decision", DECISION, sample, load)

    print(
        f"\n{args.campaigns} campaigns + a house ad on {args.database}, Redis cache; gunicorn "
        f"2 sync workers, {load}, "
        f"{len(paths)} rotating decision URLs (1 to 6 slots each)\n"
    )
    print(wrk_table([result], baseline))
    print(f"\nServer time per decision over {len(view_ms):,} requests (ms):\n")
    rows = []
    for label, values in (
        ("request in the gunicorn worker (%(D)s)", request_ms),
        ("decision view (Server-Timing)", view_ms),
    ):
        times = Sample(values)
        rows.append([label, f"{times.p50:.2f}", f"{times.p99:.2f}", f"{times.max:.2f}"])
    print(markdown_table(["measure", "p50", "p99", "max"], rows, "lrrr"))
    fail_on_errors([baseline, result])


if __name__ == "__main__":
    main()
