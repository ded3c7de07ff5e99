"""Background work of the notifications app: ids in, services called, safe to run twice."""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from . import selectors, services
from .channels import configured
from .models import Channel

logger = logging.getLogger("redaktion.notifications")

# Seconds before the next attempt at a reader's mail (confirmation, manage link) after the
# mail server failed; after the last one the mail is given up and logged.
MAIL_RETRY_DELAYS = (30, 120, 600, 1800, 3600)


def channels() -> list[str]:
    """Email, and web push once VAPID keys are configured."""
    return [channel for channel in Channel.values if configured(channel)]


def enqueue_sending() -> None:
    """``NOTIFICATIONS_SEND_TASKS`` sending tasks per channel: with as many workers they
    send in parallel, each claiming its own batches."""
    for channel in channels():
        for _index in range(settings.NOTIFICATIONS_SEND_TASKS):
            send_deliveries.enqueue(channel)


@task()
def send_breaking(article_id: int) -> int:
    """Fans out an editor's breaking-news resend, then starts sending."""
    created = services.notification_breaking(article_id=article_id)
    if created:
        enqueue_sending()
    return created


@task()
def send_deliveries(channel: str) -> int:
    """Sends the due deliveries of ``channel`` until none are left. Returns how many went out."""
    return services.deliveries_send(channel=channel).sent


@task()
def dispatch() -> int:
    """The scheduler's minute: due digests go out, and sending starts again for retries
    whose backoff has passed and for batches whose worker died. Returns digests sent."""
    now = timezone.now()
    released = services.release_expired_leases(now=now)
    sent = services.digests_send(now=now).sent
    if released or any(selectors.has_due_deliveries(channel, now) for channel in channels()):
        enqueue_sending()
    return sent


def _mail_with_retry(mail_task, send, *args, attempt: int) -> bool:
    """Calls ``send()``; when the mail server is away or fails, enqueues ``mail_task`` again
    after the next of ``MAIL_RETRY_DELAYS`` (with a backend that can defer tasks). A refused
    recipient is final. Returns what ``send()`` returned, False when it failed."""
    try:
        return send()
    except smtplib.SMTPRecipientsRefused as exc:
        logger.warning("%s: recipient refused, not retried: %s", mail_task.name, exc)
        return False
    except OSError as exc:  # smtplib's errors, refused connections and timeouts
        if attempt > len(MAIL_RETRY_DELAYS) or not mail_task.get_backend().supports_defer:
            logger.error("%s: mail failed for good after %d attempts", mail_task.name, attempt)
            raise
        delay = MAIL_RETRY_DELAYS[attempt - 1]
        logger.warning("%s: mail failed (%s); retrying in %d s", mail_task.name, exc, delay)
        mail_task.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            *args, attempt=attempt + 1
        )
        return False


@task()
def send_confirmation(token: str, attempt: int = 1) -> bool:
    """Mails the double opt-in link ``token`` (see ``services.confirmation_send``), retried
    while the mail server fails. Sending twice costs the reader a second identical mail."""
    return _mail_with_retry(
        send_confirmation,
        lambda: services.confirmation_send(token=token),
        token,
        attempt=attempt,
    )


@task()
def send_manage_link(email: str, attempt: int = 1) -> bool:
    """Mails the manage link to ``email`` if it is a subscriber, retried while the mail
    server fails; the request that asked for it answers the same for every address."""
    return _mail_with_retry(
        send_manage_link,
        lambda: services.manage_link_send(email=email),
        email,
        attempt=attempt,
    )
