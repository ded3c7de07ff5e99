"""Background work of the notifications app: ids in, services called, safe to run twice."""

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from . import selectors, services
from .channels import configured
from .models import Channel


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
