"""Publishing under load, for ``bench/pages.py``: how soon a published article is served by
Varnish, and what a crowd sees while the desk publishes.

* **publish-to-live**: ``--count`` articles (20) are published one after another, each in the
  first Ressort with the site's first topic, as the desk's "Veröffentlichen" does
  (``save_revision().publish()``, the pipeline's tasks going to the worker). From the moment
  ``publish()`` returns, this process asks Varnish for the home page, the Ressort, the topic
  page and the site's RSS feed every 10 ms until each shows the new headline: per page the
  median and the maximum of the 20 delays. An article that does not reach a page within
  ``TIMEOUT_S`` fails the run.
* **spike**: wrk at 64 connections for 60 s on the home page and an article through Varnish
  while an article is published every 5 s; errors, p99, and from Varnish's counters the hit
  ratio and the share of requests that reached the app server (the origin).
* **long-tail spike**: the same over the home page and the newest ``--long-tail`` articles
  (1,000), asked for as readers do, a few often and most rarely (Zipf's law, s = 1: the
  article of rank r is asked for in proportion to 1/r), each page read once before the
  spike begins. Every article page shows the river,
  and every publish purges the river: this is what that costs when many article pages are
  read, the measure for keeping the river in each page rather than an ESI fragment.

The publishing runs inside Django in a child process (``--publish``) with the site's
settings; it prints one JSON document.
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import statistics
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from harness import Load, django_setup, fetch, last_json, markdown_table

TARGET_LIVE_S = 1.0
TIMEOUT_S = 30
POLL_S = 0.01
SPIKE = Load(duration=60, connections=64, warmup=1, headers=("Accept-Encoding: gzip",))
SPIKE_INTERVAL_S = 5
WATCHED = ("home", "ressort", "topic", "rss")


def publish(title: str):
    """Runs inside Django: a new article in the first Ressort with the first topic,
    published as the desk publishes; returns (its topic's slug, the Ressort's path)."""
    from wagtail.rich_text import RichText

    from redaktion.news.models import ArticlePage, RessortPage, Topic

    ressort = RessortPage.objects.live().order_by("path").first()
    topic = Topic.objects.order_by("pk").first()
    article = ressort.add_child(
        instance=ArticlePage(
            title=title,
            slug=title.lower().replace(" ", "-"),
            lead=f"Vorspann: {title}.",
            body=[("paragraph", RichText(f"<p>Text der Meldung {title}.</p>"))],
            live=False,
        )
    )
    article.topics.add(topic)
    article.save_revision().publish()
    return topic.slug, ressort.url


def watch(front: str, paths: dict[str, str], title: str, since: float) -> dict[str, float]:
    """Seconds from ``since`` until each page at ``front`` shows ``title``."""
    seen: dict[str, float] = {}
    while len(seen) < len(paths):
        if time.time() - since > TIMEOUT_S:
            missing = sorted(set(paths) - set(seen))
            raise SystemExit(f"{title!r} not on {missing} after {TIMEOUT_S} s")
        for page, path in paths.items():
            if page not in seen and title in fetch(front + path).decode("utf-8", "replace"):
                seen[page] = time.time() - since
        time.sleep(POLL_S)
    return seen


def publish_and_watch(front: str, count: int, interval: float, watching: bool) -> dict:
    """Runs inside Django: ``count`` publishes, ``interval`` seconds apart at least; with
    ``watching``, the delay until each is on every watched page (else only the times)."""
    run = secrets.token_hex(3)
    retries: list[str] = []
    delays: dict[str, list[float]] = {page: [] for page in WATCHED}
    published = []
    for n in range(count):
        started = time.time()
        title = f"Eilt {run} Meldung {n:02d}"
        topic, ressort = publish_retrying(title, retries)
        returned = time.time()
        published.append(returned)
        if watching:
            paths = {
                "home": "/",
                "ressort": ressort,
                "topic": f"/thema/{topic}/",
                "rss": "/feeds/rss.xml",
            }
            for page, delay in watch(front, paths, title, returned).items():
                delays[page].append(delay)
        time.sleep(max(0.0, started + interval - time.time()))
    return {"delays": delays, "published": published, "retries": len(retries)}


def publish_retrying(title: str, retries: list[str], attempts: int = 5):
    """``publish``, again after a pause when SQLite's write lock was not free within its
    timeout (the load generator and the site share two cores: under the spike the worker
    holding the lock may wait for the CPU); each retry is noted in ``retries``."""
    from django.db import OperationalError, transaction

    for attempt in range(attempts):
        try:
            with transaction.atomic():  # all of the article or none of it
                return publish(title)
        except OperationalError as error:
            if "locked" not in str(error) or attempt == attempts - 1:
                raise
            retries.append(title)
            time.sleep(1)


def publish_to_live(bench_site, front: str, count: int = 20) -> dict:
    """Per watched page: median and max seconds from ``publish()`` to Varnish serving it."""
    result = last_json(
        bench_site.python(__file__, "--publish", front, f"--count={count}", "--interval=1")
    )
    return {
        page: {"median_s": statistics.median(values), "max_s": max(values), "n": len(values)}
        for page, values in result["delays"].items()
    }


def varnish_counters(workdir: Path) -> dict[str, int]:
    out = subprocess.run(
        ["varnishstat", "-n", str(workdir), "-1", "-j"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    counters = json.loads(out)
    counters = counters.get("counters", counters)
    names = ("MAIN.client_req", "MAIN.cache_hit", "MAIN.cache_miss", "MAIN.backend_req")
    return {name: int(counters[name]["value"]) for name in names}


def zipf_rotation(paths: list[str], length: int = 20_000, seed: int = 7) -> list[str]:
    """``paths`` (most read first) repeated in proportion to 1/rank, each at least once,
    shuffled: wrk's rotation through it asks for them as Zipf's law with s = 1 says."""
    weights = [1 / rank for rank in range(1, len(paths) + 1)]
    scale = length / sum(weights)
    rotation = [
        path
        for path, weight in zip(paths, weights, strict=True)
        for _ in range(max(1, round(weight * scale)))
    ]
    random.Random(seed).shuffle(rotation)
    return rotation


def spike(bench_site, front: str, varnish_workdir: Path, paths: list[str]) -> dict:
    """wrk at 64 connections on ``paths`` through Varnish while the desk publishes."""
    publishes = SPIKE.duration // SPIKE_INTERVAL_S
    published: dict = {}

    def publish_meanwhile() -> None:
        output = bench_site.python(
            __file__,
            "--publish",
            front,
            f"--count={publishes}",
            f"--interval={SPIKE_INTERVAL_S}",
            "--no-watch",
        )
        published.update(last_json(output))

    # Every page in Varnish first, as on a site that has been read for a while: what is
    # measured is what the publishes cost, not each page's first render.
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda path: fetch(front + path), dict.fromkeys(paths)))
    publisher = threading.Thread(target=publish_meanwhile, daemon=True)
    before = varnish_counters(varnish_workdir)
    publisher.start()
    result = SPIKE.run("spike through Varnish", front, paths=paths)
    after = varnish_counters(varnish_workdir)
    publisher.join()
    if not published:
        raise SystemExit("the publishing during the spike failed (its error is above)")
    delta = {name: after[name] - before[name] for name in after}
    requests = max(1, delta["MAIN.client_req"])
    return {
        "load": str(SPIKE),
        "distinct_paths": len(set(paths)),
        "publishes": len(published["published"]),
        "publish_retries": published["retries"],
        "requests_per_second": result.requests_per_second,
        "p50_ms": result.p50_ms,
        "p99_ms": result.p99_ms,
        "errors": result.errors,
        "hit_ratio": delta["MAIN.cache_hit"] / requests,
        "origin_share": delta["MAIN.backend_req"] / requests,
        "origin_requests_per_second": delta["MAIN.backend_req"] / (SPIKE.duration + SPIKE.warmup),
    }


def publish_table(figures: dict) -> str:
    rows = [
        [page, f"{row['n']}", f"{row['median_s'] * 1000:,.0f}", f"{row['max_s'] * 1000:,.0f}"]
        for page, row in figures.items()
    ]
    header = ["page", "publishes", "median ms", "max ms"]
    return markdown_table(header, rows, "lrrr") + f"\n(target: max ≤ {TARGET_LIVE_S * 1000:.0f} ms)"


def spike_table(figures: dict) -> str:
    rows = [
        ["req/s", f"{figures['requests_per_second']:,.0f}"],
        ["p50 / p99 ms", f"{figures['p50_ms']:.2f} / {figures['p99_ms']:.2f}"],
        ["errors", f"{figures['errors']}"],
        ["hit ratio", f"{figures['hit_ratio']:.4f}"],
        ["origin share of requests", f"{figures['origin_share']:.4f}"],
        ["origin req/s", f"{figures['origin_requests_per_second']:.1f}"],
        ["distinct pages asked for", f"{figures['distinct_paths']:,}"],
        [
            "articles published meanwhile (retries on SQLite's lock)",
            f"{figures['publishes']} ({figures['publish_retries']})",
        ],
    ]
    return markdown_table(["measure", "value"], rows, "lr")


def summary(results: dict) -> dict:
    """The figures ``var/bench/pages.json`` compares across runs (None when left out)."""
    live, spiked = results.get("publish_to_live"), results.get("spike")
    tail = results.get("spike_long_tail")
    return {
        "publish_to_live_max_s": max(r["max_s"] for r in live.values()) if live else None,
        "spike_errors": spiked["errors"] if spiked else None,
        "spike_p99_ms": spiked["p99_ms"] if spiked else None,
        "spike_origin_share": spiked["origin_share"] if spiked else None,
        "long_tail_errors": tail["errors"] if tail else None,
        "long_tail_p99_ms": tail["p99_ms"] if tail else None,
        "long_tail_hit_ratio": tail["hit_ratio"] if tail else None,
        "long_tail_origin_share": tail["origin_share"] if tail else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--publish", metavar="FRONT", required=True)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--no-watch", action="store_true")
    args = parser.parse_args()
    django_setup(settings="redaktion.settings.production")
    print(json.dumps(publish_and_watch(args.publish, args.count, args.interval, not args.no_watch)))


if __name__ == "__main__":
    main()
