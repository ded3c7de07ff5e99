"""Writing many imported articles fast, and the one rebuild that follows them.

A first import of a published post is the bulk of every import, and Wagtail's way of
publishing it (``add_child``, ``save_revision``, ``Revision.publish``) saves the page three
times, reads the revision back and sends signals whose receivers record work per article.
``article_create_published`` reaches the same state in one save: the page goes into the tree
already live, with its revision and a ``wagtail.publish`` log entry dated to the original
publication. The news app's facts of what readers see (``publishing.articles_sync``) are
stored for ``FACTS_BATCH`` articles at a time (``Facts``), five queries for all of them
instead of seven per article; should a run be killed in between, the reconciliation
records the missing ones as missed events (their announcement is already recorded, so
nobody is alerted). Drafts, scheduled posts and updates keep Wagtail's path.

``deferred()`` wraps a bulk run: article events store their facts without per-article
outbox work (``publishing.events_deferred``), Wagtail's reference index is left for the
end, and ``rebuild_record`` then records one ``import`` event whose steps
(``importers.pipeline``) rebuild the search index, the related lists and the reference
index in the worker and purge the page caches once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.db import transaction
from wagtail.models import Page, PageLogEntry, Revision
from wagtail.signal_handlers import disable_reference_index_auto_update

from redaktion.core import outbox
from redaktion.news import publishing
from redaktion.news.models import ArticlePage

IMPORT_TOPIC = "import"
FACTS_BATCH = 200


@contextmanager
def deferred() -> Iterator[None]:
    """Within, article events and reference-index updates of this thread are deferred to
    the ``import`` event that ``rebuild_record`` records."""
    with publishing.events_deferred(), disable_reference_index_auto_update():
        yield


def rebuild_record(*, source: str, articles: int) -> None:
    """Records the ``import`` event after a bulk run that wrote ``articles`` articles of
    ``source``: one rebuild and one purge in the worker, in a transaction of its own."""
    with transaction.atomic():
        outbox.outbox_record(
            IMPORT_TOPIC, f"import-{source}"[:255], {"source": source, "articles": articles}
        )


def article_create_published(
    *, parent: Page, page: ArticlePage, published_at: datetime
) -> ArticlePage:
    """Adds ``page`` (unsaved, with its authors and topics) under ``parent`` as published
    since ``published_at``: live, with one revision and its log entry of that time, and its
    facts left to ``Facts``. Call it inside the item's transaction."""
    page.live = True
    page.has_unpublished_changes = False
    page.first_published_at = page.last_published_at = published_at
    page.latest_revision_created_at = published_at
    page.draft_title = page.title
    parent.add_child(instance=page)
    revision = Revision.objects.create(
        content_object=page,
        base_content_type=page.get_base_content_type(),
        content=page.serializable_data(),
        object_str=str(page),
    )
    Revision.objects.filter(pk=revision.pk).update(created_at=published_at)
    Page.objects.filter(pk=page.pk).update(latest_revision=revision, live_revision=revision)
    page.latest_revision = page.live_revision = revision
    PageLogEntry.objects.log_action(
        page, "wagtail.publish", revision=revision, timestamp=published_at, content_changed=True
    )
    return page


class Facts:
    """Article ids whose facts are still to be stored; ``flush`` stores them."""

    def __init__(self, batch: int = FACTS_BATCH):
        self.batch = batch
        self.ids: list[int] = []

    def add(self, article_id: int) -> None:
        self.ids.append(article_id)
        if len(self.ids) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if self.ids:
            with transaction.atomic():
                publishing.articles_sync(self.ids)
            self.ids = []
