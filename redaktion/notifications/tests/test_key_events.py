"""A Liveticker's key events reach the ticker's followers: once per follower, entry and
channel, however often the pipeline's step runs and even when the sending worker dies; the
alert carries the entry itself."""

import re
import smtplib
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.utils import timezone
from wagtail.rich_text import RichText

from redaktion.core import outbox
from redaktion.news.factories import LiveTickerEntryFactory, LiveTickerPageFactory
from redaktion.news.live_services import entry_publish, entry_update
from redaktion.notifications import pipeline, services
from redaktion.notifications.models import Announcement, Delivery

from .conftest import html_part, text_part
from .helpers import subscriber

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    """Stands for the process being killed: nothing in the sending code may catch it."""


@pytest.fixture
def ticker(newsroom):
    """A live ticker whose first publication was announced (as any article's)."""
    page = LiveTickerPageFactory(
        parent=newsroom["ressort"],
        topics=[newsroom["syrien"]],
        authors=[newsroom["berger"]],
        publish=False,
    )
    Announcement.objects.create(article_id=page.pk)
    return page


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("cvd", "cvd@example.org", "x" * 12)


@pytest.fixture
def followers(newsroom):
    """Five instant readers of the ticker (by Ressort, topic, author, or two of them), one
    on a daily digest and one following another Ressort."""
    readers = [
        subscriber("ressort@example.org", newsroom["ressort"]),
        subscriber("thema@example.org", newsroom["syrien"]),
        subscriber("autorin@example.org", newsroom["berger"]),
        subscriber("beides@example.org", newsroom["ressort"], newsroom["syrien"]),
        subscriber("auch@example.org", newsroom["syrien"], newsroom["berger"]),
    ]
    subscriber("morgens@example.org", newsroom["syrien"], rhythm="daily")
    subscriber("sport@example.org", newsroom["other_ressort"])
    return readers


def _post(editor, ticker, captured, **fields):
    with captured(execute=True):
        entry = entry_publish(
            user=editor, ticker=ticker, entry=LiveTickerEntryFactory.build(ticker=None, **fields)
        )
    return entry


def test_a_key_event_fans_out_once_per_follower(
    editor, ticker, followers, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_SEND_TASKS = 0
    _post(editor, ticker, django_capture_on_commit_callbacks)
    outbox.outbox_drain()
    assert not Delivery.objects.exists()  # an ordinary entry alerts no one

    key = _post(editor, ticker, django_capture_on_commit_callbacks, is_key_event=True)
    outbox.outbox_drain()
    deliveries = Delivery.objects.filter(reason=Delivery.Reason.KEY_EVENT, entry_id=key.pk)
    assert sorted(d.subscriber.email for d in deliveries) == sorted(r.email for r in followers)
    assert {d.article_id for d in deliveries} == {ticker.pk}
    assert not deliveries.filter(digest=True).exists()

    # The step again (a retried entry), and a correction of the entry: nothing new.
    pipeline.key_event({"ticker_id": ticker.pk, "entry_id": key.pk, "key_event": True})
    key.title = "Korrigiert"
    with django_capture_on_commit_callbacks(execute=True):
        entry_update(user=editor, entry=key, was_key_event=True)
    outbox.outbox_drain()
    assert Delivery.objects.count() == len(followers)

    # An entry made a key event later is sent then, once.
    later = _post(editor, ticker, django_capture_on_commit_callbacks)
    later.is_key_event = True
    with django_capture_on_commit_callbacks(execute=True):
        entry_update(user=editor, entry=later, was_key_event=False)
    outbox.outbox_drain()
    assert Delivery.objects.filter(entry_id=later.pk).count() == len(followers)


def test_key_event_delivered_once_when_the_worker_dies_mid_send(
    mailbox, editor, ticker, followers, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_SEND_TASKS = 0
    _post(editor, ticker, django_capture_on_commit_callbacks, is_key_event=True)
    outbox.outbox_drain()
    real_sendmail = smtplib.SMTP.sendmail
    calls = {"n": 0}

    def dying_sendmail(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise WorkerKilled
        return real_sendmail(self, *args, **kwargs)

    with mock.patch("smtplib.SMTP.sendmail", dying_sendmail), pytest.raises(WorkerKilled):
        services.deliveries_send(channel="email", batch_size=5)
    assert len(mailbox.received) == 2
    with time_machine.travel(timezone.now() + services.LEASE + timedelta(seconds=1)):
        services.deliveries_send(channel="email", batch_size=5)
        services.deliveries_send(channel="email", batch_size=5)
    addresses = sorted(message["To"] for message in mailbox.received)
    assert addresses == sorted(r.email for r in followers)
    assert Delivery.objects.filter(status="sent").count() == len(followers)


def test_the_alert_of_a_key_event_carries_the_entry_itself(
    mailbox, editor, ticker, newsroom, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_SEND_TASKS = 0
    reader = subscriber("leserin@example.org", newsroom["ressort"])
    titled = _post(
        editor,
        ticker,
        django_capture_on_commit_callbacks,
        is_key_event=True,
        title="Waffenruhe tritt in Kraft",
        body=[("paragraph", RichText("<p>Seit Mitternacht schweigen die Waffen.</p>"))],
    )
    untitled = _post(
        editor,
        ticker,
        django_capture_on_commit_callbacks,
        is_key_event=True,
        title="",
        body=[("paragraph", RichText("<p>Erste Hilfskonvois erreichen die Stadt.</p>"))],
    )
    outbox.outbox_drain()
    services.deliveries_send(channel="email", batch_size=5)

    first, second = sorted(mailbox.to(reader.email), key=lambda m: "Waffenruhe" not in m["Subject"])
    assert first["Subject"] == "Eilmeldung: Waffenruhe tritt in Kraft"
    text = text_part(first)
    assert ticker.title in text  # the ticker's title above the entry's
    assert "Seit Mitternacht schweigen die Waffen." in text
    link = f"{ticker.url}#eintrag-{titled.pk}"
    assert re.search(rf"Zum Liveticker: https?://\S+{re.escape(link)}\s", text)
    assert re.search(rf'href="https?://[^"]+{re.escape(link)}">Zum Liveticker<', html_part(first))
    assert second["Subject"] == "Eilmeldung: Erste Hilfskonvois erreichen die Stadt."
    assert f"#eintrag-{untitled.pk}" in text_part(second)


def test_a_key_event_deleted_before_sending_is_not_sent(
    mailbox, editor, ticker, followers, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_SEND_TASKS = 0
    entry = _post(editor, ticker, django_capture_on_commit_callbacks, is_key_event=True)
    outbox.outbox_drain()
    entry.delete()
    services.deliveries_send(channel="email", batch_size=10)
    assert mailbox.received == []
    assert not Delivery.objects.filter(status="sent").exists()
