"""The brand is on every page, so saving it purges the whole page cache, through the outbox
(topic ``site``) like every other consequence of a change; each periodic run of the worker's
scheduler drains the outbox (until the next scheduled go-live is due) and prunes what finished
a week ago. Page and article changes are the news
app's (``redaktion.news.signals``)."""

from datetime import timedelta

from django.db.models.signals import post_save
from django.dispatch import receiver

from .middleware import purge_page_cache
from .models import BrandSettings
from .outbox import outbox_drain, outbox_prune, outbox_record
from .worker import scheduler_ran

SITE_TOPIC = "site"
KEEP_DONE = timedelta(days=7)


def purge_site(payload: dict) -> None:
    """The purge step of a ``site`` event: every stored page."""
    purge_page_cache()


def site_changed() -> None:
    """Records that something on every page changed (the brand, the ad slots)."""
    outbox_record(SITE_TOPIC, SITE_TOPIC, {})


def created_with_defaults(instance, created: bool) -> bool:
    """Whether a settings row was just created holding only its defaults. Wagtail's
    ``load()``/``for_site()`` create the row on its first read, which is a reader's page view
    on a new site: the pages rendered so far showed those same defaults, so purging them all
    would only empty the cache under the first readers."""
    if not created:
        return False
    fresh = type(instance)()
    return all(
        getattr(instance, field.attname) == getattr(fresh, field.attname)
        for field in instance._meta.concrete_fields
        if not field.primary_key and field.name != "site"
    )


@receiver(post_save, sender=BrandSettings)
def brand_changed(sender, instance, created=False, **kwargs):
    if not created_with_defaults(instance, created):
        site_changed()


@receiver(scheduler_ran)
def scheduler_ticked(sender, deadline=None, **kwargs):
    """Drains the outbox, starting no entry at or after ``deadline`` (the next scheduled
    go-live or expiry: a backlog must not hold it up), and prunes what finished long ago."""
    report = outbox_drain(until=deadline)
    outbox_prune(older_than=KEEP_DONE)
    return str(report)
