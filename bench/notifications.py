"""Scale of the alerts for new articles on PostgreSQL: fan-out and sending rate.

    flock /tmp/redaktion-bench.lock env \\
        DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_notify \\
        .venv/bin/python bench/notifications.py --subscribers 1000000 --followers 200000

The database named in DATABASE_URL is created and migrated if needed, then filled in SQL
(``INSERT … SELECT generate_series``) with ``--subscribers`` confirmed email subscribers,
``--followers`` of whom follow the benchmark article's topic, Ressort or author (every tenth
of those follows two of them, so the fan-out has to de-duplicate); the rest follow other
topics. The data is kept between runs.

Measured:
* fan-out: ``notification_announce()`` of the article, i.e. what the publish task does:
  every ``Delivery`` row in one ``INSERT … SELECT … ON CONFLICT DO NOTHING``;
* sending: an SMTP sink (aiosmtpd's ``Sink`` handler in a process of its own) receives
  ``--sample`` alert mails from 2 worker processes running ``deliveries_send()`` (claiming
  batches with a lease, one SMTP connection per batch, each delivery marked sent after the
  server accepted it); the baseline is a bare ``smtplib`` loop sending the same number of
  prebuilt messages over one connection to the same sink, in the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import smtplib
import subprocess
import sys
import time

from harness import (
    LOCAL_POSTGRES,
    django_on_postgres,
    django_setup,
    free_port,
    process,
    wait_for_port,
)

DEFAULT_DATABASE = f"{LOCAL_POSTGRES}/bench_notify"
OTHER_TOPICS = 50


def newsroom():
    """The benchmark article (created once, never announced by a signal) and other topics."""
    from wagtail.signals import page_published

    from redaktion.news.factories import (
        ArticlePageFactory,
        AuthorFactory,
        RessortPageFactory,
        TopicFactory,
    )
    from redaktion.news.models import ArticlePage, HomePage, Topic
    from redaktion.notifications import signals

    article = ArticlePage.objects.filter(slug="bench-alerts").first()
    if article is None:
        page_published.disconnect(signals.article_published, sender=ArticlePage)
        home = HomePage.objects.get(depth=2)
        ressort = RessortPageFactory(parent=home, title="Bench Politik", slug="bench-politik")
        article = ArticlePageFactory(
            parent=ressort,
            slug="bench-alerts",
            title="Waffenruhe in Aleppo",
            topics=[TopicFactory(name="Bench Syrien", slug="bench-syrien")],
            authors=[AuthorFactory(name="Bench Autorin", slug="bench-autorin")],
        )
    others = list(
        Topic.objects.filter(slug__startswith="bench-other-").values_list("pk", flat=True)
    )
    for index in range(len(others), OTHER_TOPICS):
        others.append(
            Topic.objects.create(name=f"Bench Other {index}", slug=f"bench-other-{index}").pk
        )
    return article, others


def generate(subscribers: int, followers: int, article, others) -> None:
    from django.db import connection

    from redaktion.notifications import selectors
    from redaktion.notifications.models import Subscriber

    if Subscriber.objects.count() == subscribers:
        print(f"data: {subscribers:,} subscribers already there", flush=True)
        return
    targets = selectors.article_targets(article)
    topic, ressort, author = targets.topic_ids[0], targets.ressort_id, targets.author_ids[0]
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE notifications_delivery, notifications_follow, notifications_subscriber"
        )
        cursor.execute(
            """
            INSERT INTO notifications_subscriber
                (id, channel, email, push_p256dh, push_auth, status, rhythm, digest_hour,
                 language, key, consent_text, consented_at, confirmed_at, created_at)
            SELECT i, 'email', 'leser' || i || '@bench.example', '', '', 'active', 'instant',
                   7, 'de', md5(i::text), 'Einwilligung', now(), now(), now()
            FROM generate_series(1, %s) AS i
            """,
            [subscribers],
        )
        cursor.execute(
            """
            INSERT INTO notifications_follow (subscriber_id, kind, target_id)
            SELECT i,
                   (ARRAY['topic', 'ressort', 'author'])[i %% 3 + 1],
                   (ARRAY[%s, %s, %s]::bigint[])[i %% 3 + 1]
            FROM generate_series(1, %s) AS i
            UNION ALL
            SELECT i, CASE WHEN i %% 3 = 0 THEN 'author' ELSE 'topic' END,
                   CASE WHEN i %% 3 = 0 THEN %s ELSE %s END
            FROM generate_series(1, %s) AS i WHERE i %% 10 = 0
            UNION ALL
            SELECT i, 'topic', (%s::bigint[])[i %% %s + 1]
            FROM generate_series(%s, %s) AS i
            ON CONFLICT DO NOTHING
            """,
            [
                topic,
                ressort,
                author,
                followers,
                author,
                topic,
                followers,
                others,
                len(others),
                followers + 1,
                subscribers,
            ],
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('notifications_subscriber', 'id'), %s)",
            [subscribers],
        )
        cursor.execute("ANALYZE notifications_subscriber")
        cursor.execute("ANALYZE notifications_follow")
    print(
        f"data: {subscribers:,} subscribers generated in {time.perf_counter() - started:.1f} s",
        flush=True,
    )


def fan_out(article) -> tuple[float, int]:
    from django.db import connection

    from redaktion.notifications import services
    from redaktion.notifications.models import Announcement

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE notifications_delivery")
    Announcement.objects.filter(article_id=article.pk).delete()
    started = time.perf_counter()
    created = services.notification_announce(article_id=article.pk)
    return time.perf_counter() - started, created


@contextlib.contextmanager
def smtp_sink():
    """aiosmtpd's ``Sink`` handler (accepts every message, keeps none) in a process of its
    own on a free loopback port, for the length of the block; yields the port."""
    port = free_port()
    args = [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}"]
    with process([*args, "-c", "aiosmtpd.handlers.Sink"]):
        wait_for_port(port)
        yield port


def sample_message(article) -> bytes:
    from redaktion.notifications import messages
    from redaktion.notifications.models import Subscriber

    renderer = messages.AlertRenderer(messages.article_infos([article.pk]))
    subscriber = Subscriber.objects.order_by("pk").first()
    return (
        renderer.email(subscriber=subscriber, article_id=article.pk, breaking=False)
        .message()
        .as_bytes(linesep="\r\n")
    )


def bare_loop(port: int, message: bytes, count: int) -> float:
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for index in range(count):
            smtp.sendmail("redaktion@localhost", [f"leser{index}@bench.example"], message)
    return count / (time.perf_counter() - started)


def limit_due(sample: int) -> None:
    """Only ``sample`` deliveries are due now; the rest wait a day (and are not sent)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE notifications_delivery SET next_attempt_at = now() + interval '1 day'
            WHERE id > (SELECT id FROM notifications_delivery ORDER BY id OFFSET %s LIMIT 1)
            """,
            [sample - 1],
        )
        cursor.execute("ANALYZE notifications_delivery")


def reset_sample(sample: int) -> None:
    """The sample is due again for the next round."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE notifications_delivery SET status = 'pending', sent_at = NULL "
            "WHERE status = 'sent'"
        )


def workers(port: int, count: int) -> tuple[float, int]:
    env = dict(os.environ, BENCH_SMTP_PORT=str(port))
    children = [
        subprocess.Popen(
            [sys.executable, __file__, "--child"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(count)
    ]
    for child in children:
        assert child.stdout.readline().strip() == "ready"
    for child in children:
        child.stdin.write("go\n")
        child.stdin.flush()
    results = [json.loads(child.stdout.readline()) for child in children]
    for child in children:
        child.wait()
    sent = sum(result["sent"] for result in results)
    wall = max(r["end"] for r in results) - min(r["start"] for r in results)
    return sent / wall, sent


def child() -> None:
    django_setup()
    from django.conf import settings
    from django.db import connection

    from redaktion.notifications import services

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = int(os.environ["BENCH_SMTP_PORT"])
    connection.ensure_connection()
    print("ready", flush=True)
    sys.stdin.readline()
    start = time.time()
    result = services.deliveries_send(channel="email")
    end = time.time()
    print(json.dumps({"sent": result.sent, "start": start, "end": end}), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subscribers", type=int, default=1_000_000)
    parser.add_argument("--followers", type=int, default=200_000)
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child()
        return 0
    django_on_postgres(os.environ.get("DATABASE_URL", DEFAULT_DATABASE))
    article, others = newsroom()
    generate(args.subscribers, args.followers, article, others)

    seconds, created = fan_out(article)
    expected = args.followers
    verdict = "ok" if created == expected and seconds <= 60 else "MISSED"
    print(
        f"fan-out: {created:,} deliveries in {seconds:.1f} s ({verdict}: {expected:,} within 60 s)",
        flush=True,
    )

    limit_due(args.sample)
    with smtp_sink() as port:
        message = sample_message(article)
        # Other processes share the 2 cores: alternate the two measurements and keep the
        # best round of each.
        baselines, rates = [], []
        for round_number in range(args.rounds):
            if round_number:
                reset_sample(args.sample)
            baselines.append(bare_loop(port, message, args.sample))
            rate, sent = workers(port, args.workers)
            rates.append(rate)
        baseline, rate = max(baselines), max(rates)
    ratio = rate / baseline
    print(
        f"bare smtplib loop: {baseline:,.0f} messages/s ({args.sample:,} messages, one connection)"
    )
    print(f"{args.workers} workers, deliveries_send(): {rate:,.0f} messages/s ({sent:,} sent)")
    print(f"ratio: {ratio:.2f} ({'ok' if ratio >= 0.8 else 'MISSED'}: at least 0.80)")
    return (
        0 if created == expected and seconds <= 60 and ratio >= 0.8 and sent == args.sample else 1
    )


if __name__ == "__main__":
    sys.exit(main())
