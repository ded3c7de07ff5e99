"""The alerts' step of the publish pipeline: ``notifications.announce`` (after the derived
data, before the purge). Only an article's first publication is announced: the
``Announcement`` row and the fan-out's deliveries are written in the step's transaction,
with the outbox entry marked done, so a retried or repeated step announces nothing twice.
Sending starts after the commit; when it cannot be enqueued, the scheduler's dispatch finds
the due deliveries."""

from django.db import transaction

from redaktion.core import outbox
from redaktion.news.events import EventKind
from redaktion.news.publishing import ARTICLE_TOPIC

from . import services, tasks


def announce(payload: dict) -> None:
    if payload["kind"] != EventKind.VISIBLE:
        return
    if services.notification_announce(article_id=payload["article_id"]):
        transaction.on_commit(tasks.enqueue_sending, robust=True)


def register_steps() -> None:
    outbox.register_step(ARTICLE_TOPIC, "notifications.announce", announce, outbox.ANNOUNCE)
