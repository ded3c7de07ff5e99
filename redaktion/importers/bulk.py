"""Writing many imported articles fast, and the one rebuild that follows them.

A first import of a published post is the bulk of every import, and Wagtail's way of
publishing it (``add_child``, ``save_revision``, ``Revision.publish``) saves the page three
times, reads the revision back and sends signals whose receivers record work per article.
``article_create_published`` reaches the same state in one save: the page goes into the tree
already live, with its revision and a ``wagtail.publish`` log entry dated to the original
publication, in about a dozen queries (treebeard's ``add_child`` and Wagtail's ``full_clean``
alone took twenty: a locked re-read of the parent, uniqueness and foreign-key checks of
values the import itself chose). The news app's facts of what readers see
(``publishing.articles_sync``) are stored for ``FACTS_BATCH`` articles at a time
(``Facts``), a handful of queries for all of them; should a run be killed in between, the
reconciliation records the missing ones as missed events (their announcement is already
recorded, so nobody is alerted). Drafts, scheduled posts and updates keep Wagtail's path.

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

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from treebeard.exceptions import PathOverflow
from wagtail.log_actions import get_active_log_context
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
    # Minutes of work: queued behind the desk's publishes, not ahead of them.
    with transaction.atomic(), outbox.outbox_batch():
        outbox.outbox_record(
            IMPORT_TOPIC, f"import-{source}"[:255], {"source": source, "articles": articles}
        )


def article_create_published(
    *, parent: Page, page: ArticlePage, published_at: datetime
) -> ArticlePage:
    """Adds ``page`` (unsaved, with its authors and topics) under ``parent`` as published
    since ``published_at``: live, with one revision and the ``wagtail.create`` and
    ``wagtail.publish`` log entries, and its facts left to ``Facts``. Call it inside the
    item's transaction, with a slug that is free under ``parent``.

    The page is checked field by field (lengths, choices, the body's blocks) but not
    against the database: its parent, locale and slug come from the caller, and its
    foreign keys point at rows this import just read or wrote. Its authors and topics are
    written with one query each, and the revision is serialised from them in memory."""
    page.live = True
    page.has_unpublished_changes = False
    page.first_published_at = page.last_published_at = published_at
    page.latest_revision_created_at = published_at
    page.draft_title = page.title
    page.locale_id = parent.locale_id
    page.update_derived_fields()
    page.depth = parent.depth + 1
    page.clean_fields(exclude=[*_RELATIONS, "path"])
    children = getattr(page, "_cluster_related_objects", {})
    page._cluster_related_objects = {}
    page.path = _child_path(parent)
    page._cached_parent_obj = parent
    page._is_site_root = False
    page.save(clean=False, log_action=None)
    parent.numchild += 1
    for name, key in _CHILD_RELATIONS:
        objects = children.get(name, [])
        for order, child in enumerate(objects):
            setattr(child, key, page)
            if hasattr(child, "sort_order"):
                child.sort_order = order
        if objects:
            type(objects[0]).objects.bulk_create(objects)
        page._cluster_related_objects[name] = objects
    revision = Revision.objects.create(
        content_object=page,
        base_content_type=page.get_base_content_type(),
        content=page.serializable_data(),
        object_str=str(page),
        created_at=published_at,
    )
    page._cluster_related_objects = {}
    Page.objects.filter(pk=page.pk).update(latest_revision=revision, live_revision=revision)
    page.latest_revision = page.live_revision = revision
    content_type = ContentType.objects.get_for_model(page, for_concrete_model=False)
    common = {
        "content_type": content_type,
        "label": str(page),
        "data": {},
        "uuid": get_active_log_context().uuid,
        "page": page,
        "content_changed": True,
    }
    PageLogEntry.objects.bulk_create(
        [
            PageLogEntry(action="wagtail.create", timestamp=timezone.now(), **common),
            PageLogEntry(
                action="wagtail.publish", timestamp=published_at, revision=revision, **common
            ),
        ]
    )
    return page


_RELATIONS = [field.name for field in ArticlePage._meta.concrete_fields if field.is_relation]
_CHILD_RELATIONS = [
    (relation.get_accessor_name(), relation.field.name)
    for relation in get_all_child_relations(ArticlePage)
]


def _child_path(parent: Page) -> str:
    """The tree path of a new last child of ``parent``, whose child count it raises first:
    that update holds the parent's row until the item commits, as treebeard's
    ``add_child`` does with its lock, so two writers never compute the same path."""
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + 1)
    last = (
        Page.objects.filter(
            depth=parent.depth + 1, path__range=Page._get_children_path_interval(parent.path)
        )
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    if last is None:
        return Page._get_path(parent.path, parent.depth + 1, 1)
    # treebeard's ``_inc_path`` without building a page for it.
    step = Page.steplen
    key = Page._int2str(Page._str2int(last[-step:]) + 1)
    if len(key) > step:
        raise PathOverflow(f"Path overflow from: {last!r}")
    return f"{last[:-step]}{Page.alphabet[0] * (step - len(key))}{key}"


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
