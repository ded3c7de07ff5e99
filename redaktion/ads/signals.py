"""Saving anything that changes delivery drops the snapshot of running campaigns; saving a
slot or the ads switch also purges the page cache, since slots are part of the pages' HTML.
The invalidation runs after the transaction commits; the purge is recorded in the outbox
with the change."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from redaktion.core.signals import created_with_defaults, site_changed

from .models import AdSettings, Campaign, Creative, Slot
from .services import ads_invalidate


def _enqueue_invalidate():
    transaction.on_commit(ads_invalidate)


@receiver(post_save, sender=Campaign)
@receiver(post_delete, sender=Campaign)
@receiver(post_save, sender=Creative)
@receiver(post_delete, sender=Creative)
def campaign_changed(sender, **kwargs):
    _enqueue_invalidate()


@receiver(m2m_changed, sender=Campaign.slots.through)
@receiver(m2m_changed, sender=Campaign.ressorts.through)
@receiver(m2m_changed, sender=Campaign.topics.through)
def targeting_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        _enqueue_invalidate()


@receiver(post_save, sender=Slot)
@receiver(post_delete, sender=Slot)
def slots_changed(sender, **kwargs):
    _enqueue_invalidate()
    site_changed()


@receiver(post_save, sender=AdSettings)
def ads_switched(sender, instance, created=False, **kwargs):
    if not created_with_defaults(instance, created):
        slots_changed(sender)
