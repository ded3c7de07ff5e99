"""Wagtail's signals turned into article events, in the transaction that changed the page.

Every receiver asks one question (``publishing.articles_sync``): what do readers see of the
article now, against what was last recorded? So a revision that is merely scheduled
(Wagtail sends ``page_published`` for it too) records nothing, its go-live through the
desk's scheduler is a publish like any other, and an edit records a ``changed`` event only
when something readers see changed. A page above articles records one ``pages`` event.

The worker's scheduler runs the reconciliation (``reconcile.py``) every ten minutes.
"""

import threading
from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from redaktion.core import surrogate
from redaktion.core.worker import scheduler_ran

from . import keys
from .breaking import BREAKING_KEY
from .models import ArticleAuthor, ArticlePage, Author, BreakingNews, TaggedArticle, Topic
from .publishing import articles_sync, label_record, pages_record
from .reconcile import Schedule

# Articles being deleted in this thread: their view restrictions go first, and the article
# must not look public again in between.
_deleting = threading.local()


def _being_deleted() -> set[int]:
    if not hasattr(_deleting, "ids"):
        _deleting.ids = set()
    return _deleting.ids


def _page_changed(page: Page) -> None:
    if isinstance(page.specific_deferred, ArticlePage):
        if page.pk not in _being_deleted():
            articles_sync([page.pk])
    else:
        pages_record(page)


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def page_changed(sender, instance, **kwargs):
    _page_changed(instance)


@receiver(pre_delete, sender=ArticlePage)
def article_deleted(sender, instance, **kwargs):
    # Before the rows that name the article cascade away: the steps may still read them.
    _being_deleted().add(instance.pk)
    articles_sync([], gone=[instance.pk])


@receiver(post_delete, sender=ArticlePage)
def article_gone(sender, instance, **kwargs):
    _being_deleted().discard(instance.pk)


@receiver(post_delete, sender=Page)
def page_deleted(sender, instance, **kwargs):
    if instance.live and not issubclass(instance.specific_class or Page, ArticlePage):
        pages_record(instance)


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def restriction_changed(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        _page_changed(page)


# What an author's or a topic's edit must change in fields that readers see on the
# articles or the pages of their own.
LABEL_FIELDS = {
    Author: ("name", "slug", "role", "bio", "portrait_id"),
    Topic: ("name", "slug", "description"),
}


@receiver(pre_save, sender=Author)
@receiver(pre_save, sender=Topic)
def label_saving(sender, instance, **kwargs):
    """Keeps the fields readers see as they are before the save, to compare after it."""
    names = LABEL_FIELDS[sender]
    instance._shown_before = (
        sender.objects.filter(pk=instance.pk).values_list(*names).first() if instance.pk else None
    )


@receiver(post_save, sender=Author)
@receiver(post_save, sender=Topic)
def label_saved(sender, instance, created, **kwargs):
    names = LABEL_FIELDS[sender]
    before = getattr(instance, "_shown_before", None)
    if created or before is None or before == tuple(getattr(instance, n) for n in names):
        return
    if sender is Author:
        ids = ArticleAuthor.objects.filter(author=instance).values_list("page_id", flat=True)
        label_record(ids, [keys.author(instance.pk)])
    else:
        ids = TaggedArticle.objects.filter(tag=instance).values_list("content_object_id", flat=True)
        label_record(ids, [keys.topic(instance.pk)])


@receiver(pre_delete, sender=Topic)
def topic_deleting(sender, instance, **kwargs):
    """Its articles lose it with the rows that cascade away: once they are gone, their
    facts (topics) differ from the recorded ones."""
    ids = list(
        TaggedArticle.objects.filter(tag=instance).values_list("content_object_id", flat=True)
    )
    transaction.on_commit(partial(surrogate.purge, [keys.topic(instance.pk)]), robust=True)
    instance._articles_before_delete = ids


@receiver(post_delete, sender=Topic)
def topic_deleted(sender, instance, **kwargs):
    articles_sync(getattr(instance, "_articles_before_delete", []))


@receiver(post_save, sender=BreakingNews)
@receiver(post_delete, sender=BreakingNews)
def breaking_news_changed(sender, instance, **kwargs):
    # Every page fetches the banner from its endpoint: only that answer goes.
    transaction.on_commit(partial(surrogate.purge, [BREAKING_KEY]), robust=True)


scheduler_ran.connect(Schedule(), weak=False, dispatch_uid="redaktion.news.reconcile")
