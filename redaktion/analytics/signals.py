"""Every scheduler run of the worker writes the counted reads to the database; an exclusion
saved or deleted (in the admin) refreshes every most-read list after the commit."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from redaktion.core import surrogate
from redaktion.core.worker import scheduler_ran

from .keys import MOST_READ
from .models import MostReadExclusion
from .services import reads_flush


@receiver(scheduler_ran, dispatch_uid="redaktion.analytics.flush")
def flush_reads(sender, **kwargs):
    return f"reads: {reads_flush()} views written"


@receiver(post_save, sender=MostReadExclusion, dispatch_uid="redaktion.analytics.excluded")
@receiver(post_delete, sender=MostReadExclusion, dispatch_uid="redaktion.analytics.included")
def exclusion_changed(sender, **kwargs):
    transaction.on_commit(lambda: surrogate.purge([MOST_READ]))
