"""Receivers only enqueue, after the transaction commits.

* The first publication of an article fans out to its followers. Wagtail also sends
  ``page_published`` for a revision that is merely scheduled, so the receiver checks
  ``instance.live``; an article already announced (an edit, a republication) is skipped
  here, and the task checks again under the ``Announcement`` unique key.
* Every scheduler run of the worker dispatches due digests and retries.
"""

from functools import partial

from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published

from redaktion.core.worker import scheduler_ran
from redaktion.news.models import ArticlePage

from . import tasks
from .models import Announcement


@receiver(page_published, sender=ArticlePage)
def article_published(sender, instance, **kwargs):
    if not instance.live or Announcement.objects.filter(article_id=instance.pk).exists():
        return
    transaction.on_commit(partial(tasks.announce_article.enqueue, instance.pk))


@receiver(scheduler_ran)
def scheduler_ticked(sender, **kwargs):
    transaction.on_commit(tasks.dispatch.enqueue)
