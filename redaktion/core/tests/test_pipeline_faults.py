"""Faults the publish pipeline must survive without losing or repeating anything:

* Redis stopped with work queued (RQ as the task backend, against a Redis of the test's own
  that keeps nothing across a restart), and a publish while it is down: once it is back and
  the worker runs, every article has its search entry, its related list and its alerts,
  each exactly once.
* A worker killed (``kill -9``) in the middle of a step: nothing of its run is left, and
  after the lease another drain runs the step once (PostgreSQL: two processes share the
  test database).

A step that raises, is retried and ends failed on the dashboard: ``test_pipeline_admin``.
"""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import django_rq
import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.utils import timezone
from django_rq import get_worker
from django_tasks.exceptions import InvalidTaskError
from django_tasks_rq.backend import Job
from rq.worker import SimpleWorker

from redaktion.core import outbox, tasks
from redaktion.core.models import OutboxEntry
from redaktion.core.worker import SchedulerLoop
from redaktion.news.factories import ArticlePageFactory, RessortPageFactory, TopicFactory
from redaktion.notifications.models import Delivery
from redaktion.notifications.tests.helpers import subscriber
from redaktion.related.models import ArticleVector
from redaktion.search.models import SearchDocument

READERS = 3
BACKEND = "redaktion.core.task_backends.FailOpenRQBackend"  # as in settings for TASK_BACKEND=rq


@pytest.fixture
def rq_backend(settings, redis_server):
    settings.TASKS = {"default": {"BACKEND": BACKEND, "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": redis_server.url(3)}}
    return redis_server


class BurstWorker(SimpleWorker):
    """Runs the jobs in this process. Without the command channel: its listening thread
    outlives a burst by up to a minute, and a later test that forks (the related engine's
    worker processes) would copy the locks it holds."""

    def subscribe(self):
        pass


def rq_burst() -> None:
    """An RQ worker that runs what is queued, in this process, then stops."""
    get_worker("default", job_class=Job, worker_class=BurstWorker).work(burst=True)


def derived_and_alerts(articles) -> dict:
    ids = [a.pk for a in articles]
    return {
        "search": sorted(SearchDocument.objects.filter(pk__in=ids).values_list("pk", flat=True)),
        "related": sorted(ArticleVector.objects.filter(pk__in=ids).values_list("pk", flat=True)),
        "deliveries": sorted(
            Delivery.objects.filter(article_id__in=ids).values_list("article_id", "status")
        ),
        "mails": sorted((m.to[0], m.subject) for m in mail.outbox),
    }


@pytest.mark.django_db
def test_redis_stopped_with_work_queued_loses_nothing_and_repeats_nothing(
    home_page, rq_backend, django_capture_on_commit_callbacks, caplog
):
    ressort = RessortPageFactory(parent=home_page, title="Politik", publish=False)
    topic = TopicFactory(name="Wahlen")
    for index in range(READERS):
        subscriber(f"leser{index}@example.org", topic)

    with django_capture_on_commit_callbacks(execute=True):
        queued = ArticlePageFactory(parent=ressort, title="Wahl angesetzt", topics=[topic])
    assert OutboxEntry.objects.filter(state="pending").count() == 4  # the drain is in Redis

    rq_backend.stop()  # and with it the queued drain
    with django_capture_on_commit_callbacks(execute=True):
        while_down = ArticlePageFactory(parent=ressort, title="Wahl verschoben", topics=[topic])
    assert "redaktion.core.tasks.drain_outbox was not enqueued" in caplog.text
    assert OutboxEntry.objects.filter(state="pending").count() == 8
    articles = [queued, while_down]
    assert derived_and_alerts(articles) == {
        "search": [],
        "related": [],
        "deliveries": [],
        "mails": [],
    }

    rq_backend.start()  # empty: the queued drain is gone
    rq_burst()
    assert OutboxEntry.objects.filter(state="pending").count() == 8
    # The worker's scheduler drains the outbox; the sending it starts goes through Redis.
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert SchedulerLoop(interval=60).run_once() is not None
        rq_burst()

    ids = sorted(a.pk for a in articles)
    expected = {
        "search": ids,
        "related": ids,
        "deliveries": sorted((pk, "sent") for pk in ids for _ in range(READERS)),
        "mails": sorted(
            (f"leser{index}@example.org", subject)
            for index in range(READERS)
            for subject in {m.subject for m in mail.outbox}
        ),
    }
    assert derived_and_alerts(articles) == expected
    assert len(mail.outbox) == READERS * len(articles)
    assert not OutboxEntry.objects.exclude(state="done").exists()


def test_on_rq_a_just_recorded_event_goes_to_the_front_of_the_queue(rq_backend):
    outbox.outbox_nudge()
    outbox.outbox_nudge()
    outbox.outbox_nudge(subjects=["article-7"])
    jobs = django_rq.get_queue("default", job_class=Job).get_jobs()
    assert [job.kwargs for job in jobs] == [{"subjects": ["article-7"]}, {}, {}]
    with pytest.raises(InvalidTaskError):
        tasks.drain_outbox.using(priority=50).enqueue()


CHILD = """
import sys, time
import django
django.setup()
from django.conf import settings
from django.contrib.auth.models import Group
from redaktion.core import outbox, tasks

settings.OUTBOX_LEASE = 30

def block(payload):
    Group.objects.create(name="written by the step")
    open(sys.argv[1], "w").close()
    time.sleep(600)

outbox.register_step("fault", "fault.step", block, outbox.DERIVED)
outbox.outbox_drain()
"""


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_mid_step_leaves_nothing_and_the_step_runs_once_after_the_lease(
    tmp_path, monkeypatch, settings
):
    monkeypatch.setattr(outbox, "_steps", dict(outbox._steps))

    def step(payload):
        Group.objects.create(name="written by the step")

    outbox.register_step("fault", "fault.step", step, outbox.DERIVED)
    [entry] = outbox.outbox_record("fault", "article-1", {}, nudge=False)
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    started = tmp_path / "started"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "redaktion.settings.test", "DATABASE_URL": url}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(started)], env=env)  # noqa: S603
    try:
        deadline = time.monotonic() + 120
        while not started.exists():
            assert child.poll() is None, "the worker stopped before its step blocked"
            assert time.monotonic() < deadline, "the worker's step never started"
            time.sleep(0.1)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)

    entry.refresh_from_db()
    assert (entry.state, entry.attempts) == ("running", 1)
    assert not Group.objects.filter(name="written by the step").exists()
    assert outbox.outbox_drain().done == 0  # the dead worker's lease still holds
    with time_machine.travel(entry.leased_until + timedelta(seconds=1)):
        assert outbox.outbox_drain().done == 1
        assert outbox.outbox_drain().done == 0
    entry.refresh_from_db()
    assert (entry.state, entry.attempts) == ("done", 2)
    assert Group.objects.filter(name="written by the step").count() == 1
    assert timezone.now() < entry.finished_at + timedelta(minutes=1)
