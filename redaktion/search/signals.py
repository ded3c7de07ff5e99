"""Publishing, unpublishing, moving or deleting an article enqueues its search index update
after the transaction commits; receivers only enqueue."""

from functools import partial

from django.db import transaction
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from redaktion.news.models import ArticlePage

from . import tasks


def _enqueue(task, article_id):
    transaction.on_commit(partial(task.enqueue, article_id))


@receiver(page_published, sender=ArticlePage)
def article_published(sender, instance, **kwargs):
    # Also sent when a revision is only scheduled. A page that was never live stays out
    # until then; a live page keeps its live version, which the task indexes (it reads the
    # live page, never the scheduled revision).
    if instance.live:
        _enqueue(tasks.index_article, instance.pk)
    else:
        _enqueue(tasks.remove_article, instance.pk)


@receiver(post_page_move)
def article_moved(sender, instance, **kwargs):
    if isinstance(instance.specific_deferred, ArticlePage) and instance.live:
        _enqueue(tasks.index_article, instance.pk)


@receiver(page_unpublished, sender=ArticlePage)
def article_unpublished(sender, instance, **kwargs):
    _enqueue(tasks.remove_article, instance.pk)


@receiver(pre_delete, sender=ArticlePage)
def article_deleted(sender, instance, **kwargs):
    # The document row goes with the page (cascade); the FTS5 text on SQLite does not.
    _enqueue(tasks.remove_article, instance.pk)
