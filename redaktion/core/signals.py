"""Publishing, unpublishing, moving or deleting a page changes what readers see on many pages
at once (the river is on every page), so each enqueues one purge of the page cache, after the
transaction commits. Receivers only enqueue."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from .models import BrandSettings
from .tasks import purge_pages


def _enqueue_purge() -> None:
    transaction.on_commit(purge_pages.enqueue)


@receiver(page_published)
def page_went_live(sender, instance, **kwargs):
    # Wagtail also sends page_published when a revision is merely scheduled; nothing
    # readers see has changed until the page is live.
    if instance.live:
        _enqueue_purge()


@receiver(page_unpublished)
@receiver(post_page_move)
def page_left_or_moved(sender, instance, **kwargs):
    _enqueue_purge()


@receiver(post_delete, sender=Page)
def page_deleted(sender, instance, **kwargs):
    if instance.live:
        _enqueue_purge()


@receiver(post_save, sender=BrandSettings)
def brand_changed(sender, instance, **kwargs):
    _enqueue_purge()
