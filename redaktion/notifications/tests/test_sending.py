"""Sending over a real SMTP server: batches, retries, a crash in the middle, digests."""

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.utils import timezone

from redaktion.core.worker import SchedulerLoop
from redaktion.notifications import services
from redaktion.notifications.models import Delivery

from .conftest import free_port, text_part
from .helpers import berlin, fan_out_only, subscriber

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    """Stands for the process being killed: nothing in the sending code may catch it."""


def test_batches_share_one_connection(mailbox, newsroom, announce, settings):
    fan_out_only(newsroom, 12, announce, settings)
    result = services.deliveries_send(channel="email", batch_size=5)
    assert (result.sent, result.batches) == (12, 3)
    assert len(mailbox.received) == 12
    assert len(mailbox.sessions) == 3  # one SMTP connection per batch
    assert Delivery.objects.filter(status="sent").count() == 12


def test_a_worker_killed_mid_fan_out_sends_every_message_exactly_once(
    mailbox, newsroom, announce, settings
):
    fan_out_only(newsroom, 10, announce, settings)
    real_sendmail = smtplib.SMTP.sendmail
    calls = {"n": 0}

    def dying_sendmail(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 5:
            raise WorkerKilled
        return real_sendmail(self, *args, **kwargs)

    with (
        mock.patch("smtplib.SMTP.sendmail", dying_sendmail),
        pytest.raises(WorkerKilled),
    ):
        services.deliveries_send(channel="email", batch_size=4)
    assert len(mailbox.received) == 4
    assert Delivery.objects.filter(status="sent").count() == 4
    assert Delivery.objects.filter(status="sending").count() == 4  # the dead batch

    # Restarted at once: the dead worker's lease still holds, the rest goes out.
    services.deliveries_send(channel="email", batch_size=4)
    assert len(mailbox.received) == 6
    # After the lease: the unsent rest of the dead batch, and nothing twice.
    with time_machine.travel(timezone.now() + services.LEASE + timedelta(seconds=1)):
        services.deliveries_send(channel="email", batch_size=4)
    addresses = sorted(message["To"] for message in mailbox.received)
    assert addresses == sorted(f"leser{index}@example.org" for index in range(10))
    assert Delivery.objects.filter(status="sent").count() == 10


def test_temporary_refusal_retries_with_backoff_permanent_fails(
    mailbox, newsroom, announce, settings
):
    fan_out_only(newsroom, 3, announce, settings)
    mailbox.refuse = {
        "leser0@example.org": "451 4.3.0 Try again later",
        "leser1@example.org": "550 5.1.1 No such user",
    }
    result = services.deliveries_send(channel="email")
    assert (result.sent, result.retried, result.failed) == (1, 1, 1)
    failed = Delivery.objects.get(subscriber__email="leser1@example.org")
    assert failed.status == "failed" and failed.last_error.startswith("550")
    waiting = Delivery.objects.get(subscriber__email="leser0@example.org")
    assert (waiting.status, waiting.attempts) == ("pending", 1)
    assert waiting.next_attempt_at > timezone.now()
    assert services.deliveries_send(channel="email").sent == 0  # backoff not over

    mailbox.refuse = {}
    with time_machine.travel(waiting.next_attempt_at + timedelta(seconds=1)):
        assert services.deliveries_send(channel="email").sent == 1
    assert sorted(message["To"] for message in mailbox.received) == [
        "leser0@example.org",
        "leser2@example.org",
    ]


def test_a_dropped_connection_leaves_the_rest_of_the_batch_for_later(
    mailbox, newsroom, announce, settings
):
    fan_out_only(newsroom, 5, announce, settings)
    # 421 closes the connection: the first message is refused, the next finds no server.
    mailbox.refuse = {f"leser{index}@example.org": "421 4.3.2 Shutting down" for index in range(5)}
    result = services.deliveries_send(channel="email", batch_size=3)
    assert (result.batches, result.sent, result.retried) == (1, 0, 3)  # the run stops there
    assert sorted(Delivery.objects.values_list("status", "attempts")) == [
        ("pending", 0),
        ("pending", 0),
        ("pending", 1),
        ("pending", 1),
        ("pending", 1),
    ]
    assert not mailbox.received


def test_server_down_keeps_the_batch_for_later(newsroom, announce, settings):
    fan_out_only(newsroom, 2, announce, settings)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    result = services.deliveries_send(channel="email")
    assert result.retried == 2
    assert set(Delivery.objects.values_list("status", "attempts")) == {("pending", 1)}


def test_daily_digest_collects_until_its_hour(mailbox, newsroom, announce, run_tasks):
    reader = subscriber("morgen@example.org", newsroom["syrien"], rhythm="daily", hour=7)
    with time_machine.travel(berlin(2026, 3, 10, 5, 0), tick=False) as clock:
        announce(title="Nachts passiert")
        clock.move_to(berlin(2026, 3, 10, 6, 0))
        announce(title="Früh passiert")
        clock.move_to(berlin(2026, 3, 10, 6, 59))
        with run_tasks():
            SchedulerLoop(interval=60).run_once()
        assert not mailbox.received
        clock.move_to(berlin(2026, 3, 10, 7, 1))
        with run_tasks():
            SchedulerLoop(interval=60).run_once()  # the worker's minute dispatches digests
        assert len(mailbox.received) == 1
        with run_tasks():
            SchedulerLoop(interval=60).run_once()
        assert len(mailbox.received) == 1
    [digest] = mailbox.received
    assert digest["To"] == reader.email
    assert "Tagesüberblick (2 neue Artikel)" in digest["Subject"]
    body = text_part(digest)
    assert body.index("Nachts passiert") < body.index("Früh passiert")
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Delivery.objects.filter(status="sent").count() == 2


def test_a_refused_digest_waits_for_a_retry(mailbox, newsroom, announce):
    reader = subscriber("morgen@example.org", newsroom["syrien"], rhythm="daily", hour=7)
    mailbox.refuse = {reader.email: "451 4.3.0 Try again later"}
    with time_machine.travel(berlin(2026, 3, 10, 5, 0), tick=False) as clock:
        announce(title="Nachts passiert")
        clock.move_to(berlin(2026, 3, 10, 7, 1))
        result = services.digests_send()
    assert (result.sent, result.retried) == (0, 1)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert delivery.last_error.startswith("451")
    assert not mailbox.received
