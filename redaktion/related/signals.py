"""Publishing an article enqueues its "Mehr zum Thema" work; nothing runs in the request.

Every receiver only enqueues, after the transaction commits, so a worker never sees an
article the database has not committed yet.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from redaktion.news.models import ArticlePage

from . import tasks
from .models import Suggestion


def _enqueue(task, *args):
    transaction.on_commit(partial(task.enqueue, *args))


@receiver(page_published, sender=ArticlePage)
def article_published(sender, instance, **kwargs):
    _enqueue(tasks.index_article, instance.pk)


@receiver(post_page_move)
def article_moved(sender, instance, **kwargs):
    if isinstance(instance.specific_deferred, ArticlePage) and instance.live:
        _enqueue(tasks.index_article, instance.pk)


@receiver(page_unpublished, sender=ArticlePage)
def article_unpublished(sender, instance, **kwargs):
    _enqueue(tasks.remove_article, instance.pk)


@receiver(pre_delete, sender=ArticlePage)
def article_deleted(sender, instance, **kwargs):
    # The rows that name the article vanish with it (cascade); the lists that held it are
    # refilled afterwards from the stored vectors.
    holders = list(
        Suggestion.objects.filter(suggested_id=instance.pk)
        .exclude(article_id=instance.pk)
        .values_list("article_id", flat=True)
    )
    if holders:
        _enqueue(tasks.refresh_articles, holders)
