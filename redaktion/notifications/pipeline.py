"""The alerts' step of the publish pipeline: ``notifications.announce`` (after the derived
data, before the purge). Only an article's first publication is announced: the
``Announcement`` row and the fan-out's deliveries are written in the step's transaction,
with the outbox entry marked done, so a retried or repeated step announces nothing twice.
Sending starts after the commit; when it cannot be enqueued, the scheduler's dispatch finds
the due deliveries."""

from django.db import transaction

from redaktion.core import outbox
from redaktion.news.events import EventKind
from redaktion.news.live_services import LIVE_TOPIC
from redaktion.news.publishing import ARTICLE_TOPIC

from . import services, tasks


def announce(payload: dict) -> None:
    if payload["kind"] != EventKind.VISIBLE:
        return
    if services.notification_announce(article_id=payload["article_id"]):
        transaction.on_commit(tasks.enqueue_sending, robust=True)


def key_event(payload: dict) -> None:
    """Step ``notifications.key_event`` of a Liveticker entry: an entry that became a key
    event goes to the ticker's followers, in the step's transaction (once, as above)."""
    if not payload.get("key_event"):
        return
    created = services.notification_key_event(
        ticker_id=payload["ticker_id"], entry_id=payload["entry_id"]
    )
    if created:
        transaction.on_commit(tasks.enqueue_sending, robust=True)


def register_steps() -> None:
    outbox.register_step(ARTICLE_TOPIC, "notifications.announce", announce, outbox.ANNOUNCE)
    outbox.register_step(LIVE_TOPIC, "notifications.key_event", key_event, outbox.ANNOUNCE)
