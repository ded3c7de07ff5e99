"""Every scheduler run of the worker dispatches due digests and retries (after the commit).
The first publication of an article is announced by the publish pipeline
(``notifications.pipeline``)."""

from django.db import transaction
from django.dispatch import receiver

from redaktion.core.worker import scheduler_ran

from . import tasks


@receiver(scheduler_ran)
def scheduler_ticked(sender, **kwargs):
    transaction.on_commit(tasks.dispatch.enqueue)
