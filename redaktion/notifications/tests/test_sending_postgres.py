"""Sending on PostgreSQL with committed transactions: two workers at once, and the sent
mark that is on the server before the worker reads its answer."""

import threading
import time

import pytest
from django.db import connection

from redaktion.news.tests.test_browser import ensure_site_tree
from redaktion.notifications import services
from redaktion.notifications.channels.marks import SentMarks
from redaktion.notifications.models import Delivery

from .conftest import build_newsroom
from .helpers import fan_out_only

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def newsroom(transactional_db):
    """Built per test: these tests commit, so there is no module transaction to share. The
    home page and Site the migrations made are rebuilt first if an earlier transactional
    test flushed them."""
    ensure_site_tree()
    return build_newsroom()


def test_two_workers_at_once_send_each_message_once(mailbox, newsroom, announce, settings):
    fan_out_only(newsroom, 40, announce, settings)
    results = []

    def worker():
        try:
            results.append(services.deliveries_send(channel="email", batch_size=3).sent)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 40 and all(results)  # both took part, SKIP LOCKED kept them apart
    addresses = [message["To"] for message in mailbox.received]
    assert sorted(addresses) == sorted(f"leser{index}@example.org" for index in range(40))


def test_a_sent_mark_is_committed_before_its_answer_is_read(newsroom, announce, settings):
    """The worker does not wait for the mark's answer, yet the mark is on the server: a
    worker killed during the next SMTP exchange loses no mark."""
    # psycopg is the optional ``postgres`` extra; this test runs only on PostgreSQL.
    import psycopg

    fan_out_only(newsroom, 1, announce, settings)
    delivery = Delivery.objects.get()
    marks = SentMarks()
    marks.mark(delivery.pk)
    assert marks.pending  # the answer has not been read
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as other:
        for _ in range(100):  # the server executes it while this worker goes on
            (status,) = other.execute(
                "SELECT status FROM notifications_delivery WHERE id = %s", [delivery.pk]
            ).fetchone()
            if status == "sent":
                break
            time.sleep(0.05)
    assert status == "sent"
    marks.close()
    connection.close()
