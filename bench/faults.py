"""`make faults`: the production stack (gunicorn, Redis for cache and queue, `redaktion
rqworker`) with faults injected, for what CI cannot show in its time. Prints a Markdown
table per probe; the figures go to docs/faults.md by hand, with the command.

1. **Silent mail server**: an SMTP server that accepts connections and never answers. The
   subscribe and manage-link endpoints (a subscriber's address and a stranger's) must answer
   at once, with the same status, for every address.
2. **Redis away under load**: four clients request pages, feeds, sitemaps, robots.txt,
   search and ad decisions for 14 s; Redis (cache and queue) is stopped after 4 s and started
   again after 9 s. Counted per path: requests and server errors, in and out of the outage.
3. **The RQ worker after the outage**: still running (it was sending to the silent mail
   server when Redis went away).

    .venv/bin/python bench/faults.py
"""

from __future__ import annotations

import contextlib
import socket
import statistics
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

from harness import ROOT, markdown_table, site
from harness.servers import process

from redaktion.core.tests.servers import RedisServer

LOAD_SECONDS, OUTAGE_FROM, OUTAGE_UNTIL = 14.0, 4.0, 9.0
PATHS = [
    "/",
    "/feeds/rss.xml",
    "/sitemap.xml",
    "/robots.txt",
    "/suche/?q=Wahl",
    "/anzeigen/auslieferung/?slot=river",
]


@contextlib.contextmanager
def silent_smtp():
    """A port that accepts SMTP connections and never says a word."""
    server = socket.create_server(("127.0.0.1", 0))
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                held.append(server.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def request(url: str, data: dict | None = None, headers: dict | None = None) -> tuple[int, float]:
    body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
    started = time.perf_counter()
    try:
        call = urllib.request.Request(url, data=body, headers=headers or {})  # noqa: S310
        with urllib.request.urlopen(call, timeout=60) as answer:  # noqa: S310
            status = answer.status
            answer.read()
    except urllib.error.HTTPError as error:
        status = error.code
    return status, (time.perf_counter() - started) * 1000


def with_csrf(base: str, path: str) -> tuple[dict, str]:
    """The Cookie header and the token of ``path``'s form. The production CSRF cookie is
    Secure, which a cookie jar keeps off plain http, so the header is sent by hand."""
    with urllib.request.urlopen(base + path, timeout=60) as answer:  # noqa: S310
        page = answer.read().decode()
        cookie = next(
            value.split(";", 1)[0]
            for value in answer.headers.get_all("Set-Cookie")
            if value.startswith("csrftoken=")
        )
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    return {"Cookie": cookie}, token


def probe_silent_smtp(base: str, topic: int, known: str) -> list[list]:
    """Each endpoint 10 times per address, the two addresses taking turns."""
    manage = "/benachrichtigungen/verwalten/"
    cookie, token = with_csrf(base, manage)
    cases = {
        "subscribe": lambda a: request(
            base + "/benachrichtigungen/abonnieren/", {"email": a, "follow": f"topic:{topic}"}
        ),
        "manage link": lambda a: request(
            base + manage, {"email": a, "csrfmiddlewaretoken": token}, cookie
        ),
    }
    rows = []
    for name, call in cases.items():
        results: dict[str, list] = {"subscriber": [], "stranger": []}
        for _round in range(10):
            results["subscriber"].append(call(known))
            results["stranger"].append(call("fremd@example.org"))
        for who, answers in results.items():
            statuses = sorted({status for status, _ms in answers})
            timings = [ms for _status, ms in answers]
            rows.append(
                [name, who, statuses, f"{statistics.median(timings):.0f}", f"{max(timings):.0f}"]
            )
    return rows


def probe_redis_outage(base: str, redis: RedisServer) -> list[list]:
    counts: Counter = Counter()
    start = time.monotonic()

    def client(offset: int):
        n = offset
        while (elapsed := time.monotonic() - start) < LOAD_SECONDS:
            path = PATHS[n % len(PATHS)]
            n += 1
            status, _ms = request(base + path)
            phase = "outage" if OUTAGE_FROM <= elapsed < OUTAGE_UNTIL else "up"
            counts[path, phase, "all"] += 1
            if status >= 500:
                counts[path, phase, "5xx"] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(OUTAGE_FROM)
    redis.stop()
    time.sleep(OUTAGE_UNTIL - OUTAGE_FROM)
    redis.start()
    for thread in threads:
        thread.join()
    return [
        [
            path,
            counts[path, "up", "all"],
            counts[path, "up", "5xx"],
            counts[path, "outage", "all"],
            counts[path, "outage", "5xx"],
        ]
        for path in PATHS
    ]


def main() -> None:
    with contextlib.ExitStack() as stack:
        var = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="redaktion-faults-")))
        redis = RedisServer(var)
        redis.start()
        stack.callback(lambda: redis.process.poll() is None and redis.stop())
        smtp_port = stack.enter_context(silent_smtp())
        demo = stack.enter_context(
            site(
                prefix="redaktion-faults-",
                TASK_BACKEND="rq",
                REDIS_URL=f"redis://127.0.0.1:{redis.port}/0",
                RQ_URL=f"redis://127.0.0.1:{redis.port}/1",
                EMAIL_HOST="127.0.0.1",
                EMAIL_PORT=str(smtp_port),
                EMAIL_TIMEOUT="30",
                # The probe posts 40 times from one address: above the hourly limits.
                NOTIFICATIONS_SUBSCRIBE_LIMIT_IP="1000",
                NOTIFICATIONS_SUBSCRIBE_LIMIT_ADDRESS="1000",
            )
        )
        print("Loading the demo newsroom …", flush=True)
        demo.manage("redaktion_demo", "--quiet")
        found = demo.python(
            "manage.py",
            "shell",
            "-v0",
            "-c",
            "from redaktion.news.models import Topic; "
            "from redaktion.notifications.models import Subscriber; "
            "from django.utils import timezone; "
            "Subscriber.objects.get_or_create(email='leserin@example.org', defaults=dict("
            "channel='email', key='k', consent_text='ja', consented_at=timezone.now(), "
            "confirmed_at=timezone.now())); "
            "print(Topic.objects.order_by('pk').values_list('pk', flat=True).first())",
        )
        topic = int(found.split()[-1])
        worker = stack.enter_context(
            process(
                [str(ROOT / ".venv/bin/redaktion"), "rqworker", "default"],
                env=demo.env,
                log=var / "rqworker.log",
            )
        )
        base = stack.enter_context(demo.serve(workers=2))

        print("\n## Silent mail server (accepts, never answers)\n")
        print(
            markdown_table(
                ["endpoint", "address", "statuses", "median ms", "max ms"],
                probe_silent_smtp(base, topic, "leserin@example.org"),
            )
        )
        print(
            f"\n## Redis stopped from {OUTAGE_FROM:.0f} s to {OUTAGE_UNTIL:.0f} s of "
            f"{LOAD_SECONDS:.0f} s, 4 clients\n"
        )
        print(
            markdown_table(
                ["path", "requests (Redis up)", "5xx", "requests (Redis down)", "5xx"],
                probe_redis_outage(base, redis),
            )
        )
        time.sleep(3)
        print("\n## RQ worker after the outage\n")
        print(f"still running: {worker.poll() is None}")


if __name__ == "__main__":
    main()
