from datetime import datetime

from django.utils import timezone

from redaktion.news.models import Author, RessortPage, Topic
from redaktion.notifications import services
from redaktion.notifications.models import Channel, Delivery, Follow, Subscriber


def subscriber(email, *follows, rhythm="instant", hour=7, language="de", status="active"):
    """A confirmed email subscriber following ``follows`` (pages, topics or authors)."""
    record = Subscriber.objects.create(
        channel=Channel.EMAIL,
        email=email,
        key=f"key-{email}",
        status=status,
        rhythm=rhythm,
        digest_hour=hour,
        language=language,
        consent_text=services.consent_text(),
        consented_at=timezone.now(),
        confirmed_at=timezone.now(),
    )
    for target in follows:
        kind = (
            "ressort"
            if isinstance(target, RessortPage)
            else "topic"
            if isinstance(target, Topic)
            else "author"
        )
        assert isinstance(target, RessortPage | Topic | Author)
        Follow.objects.create(subscriber=record, kind=kind, target_id=target.pk)
    return record


def fan_out_only(newsroom, count, announce, settings):
    """``count`` readers following Syrien, and an article announced to them: their
    deliveries wait, unsent, for the test to send them."""
    for index in range(count):
        subscriber(f"leser{index}@example.org", newsroom["syrien"])
    settings.NOTIFICATIONS_SEND_TASKS = 0  # the announcement only fans out
    article = announce(title="Viele Empfänger")
    assert Delivery.objects.filter(status="pending").count() == count
    return article


def berlin(year, month, day, hour, minute=0) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour, minute))
