"""Domain events of articles, recorded in the outbox (``redaktion.core.outbox``).

Whatever Wagtail says happened (publish, scheduled go-live, unpublish, move, delete, a view
restriction, a correction), the question is the same: what do readers see of the article
now, against what the pipeline last recorded (``VisibleArticle``)? ``articles_sync``
compares the two, records one ``article`` event per article that differs (topic
``article``, subject ``article-<id>``, the event's JSON as payload) and stores the new
facts, in the caller's transaction. The apps' steps then run from the outbox.

A change to a page above articles (a Ressort moved or restricted, a page renamed) is one
``pages`` event, whose first step re-evaluates the articles under the page and records
their events; its purge drops every stored page, since menus are on every page.

A bulk writer (an import of thousands of articles) wraps its writes in ``events_deferred()``:
the facts are stored as usual, in each article's transaction, but no outbox work is
recorded per article or page; the writer records one event of its own that rebuilds the
derived data and purges the caches once (``redaktion.importers.pipeline``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import partial

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from redaktion.core import outbox, surrogate
from redaktion.core.middleware import purge_page_cache
from redaktion.core.switches import ThreadSwitch

from .events import ArticleEvent, ArticleFacts, EventKind
from .models import ArticlePage, TaggedArticle, VisibleArticle
from .selectors import author_ids_by_article, parent_ids

ARTICLE_TOPIC = "article"
PAGES_TOPIC = "pages"
# Beyond this many articles a sync reads all facts instead of a list of ids (a list that
# long is slow to send, and SQLite limits the parameters of a statement).
BULK = 1000

_deferred = ThreadSwitch()


def subject(article_id: int) -> str:
    return f"article-{article_id}"


def visible_facts(ids: Iterable[int] | None = None) -> dict[int, ArticleFacts]:
    """The facts of the published articles among ``ids`` (every published article when
    None). Five queries for any number: restrictions, articles, parents, topics, authors."""
    articles = ArticlePage.objects.published().order_by()
    if ids is not None:
        articles = articles.filter(pk__in=list(ids))
    rows = list(
        articles.values_list(
            "pk",
            "title",
            "url_path",
            "path",
            "first_published_at",
            "updated_at",
            "live_revision_id",
        )
    )
    if not rows:
        return {}
    pks = [row[0] for row in rows]
    parents = parent_ids(row[3] for row in rows)
    topics: dict[int, list[int]] = defaultdict(list)
    for article_id, tag_id in (
        TaggedArticle.objects.filter(content_object_id__in=pks)
        .order_by("tag_id")
        .values_list("content_object_id", "tag_id")
    ):
        topics[article_id].append(tag_id)
    authors = author_ids_by_article(pks)
    return {
        pk: ArticleFacts(
            title=title,
            url_path=url_path,
            ressort_id=parents.get(path[: -Page.steplen]),
            topic_ids=tuple(topics[pk]),
            author_ids=tuple(authors[pk]),
            first_published_at=first_published_at,
            updated_at=updated_at,
            revision_id=revision_id,
        )
        for pk, title, url_path, path, first_published_at, updated_at, revision_id in rows
    }


def article_facts(page: ArticlePage) -> ArticleFacts | None:
    """What readers see of ``page`` as it is live now; None when they cannot see it."""
    return visible_facts([page.pk]).get(page.pk)


def recorded_facts(ids: Iterable[int] | None = None) -> dict[int, ArticleFacts]:
    """The facts the pipeline last recorded, of ``ids`` (of every visible article when None)."""
    rows = VisibleArticle.objects.all()
    if ids is not None:
        rows = rows.filter(article_id__in=list(ids))
    return {
        pk: ArticleFacts.from_json(facts) for pk, facts in rows.values_list("article_id", "facts")
    }


@contextmanager
def events_deferred() -> Iterator[None]:
    """Within, this thread's article events store their facts but record no outbox work,
    and changes to other pages record nothing: the caller takes over the derived data
    (search entry, related lists) and the purge of every page it wrote, and records that
    work itself once it is done writing. Should it never do so (killed), the
    reconciliation's checks find the articles without derived data and repair them one by
    one."""
    with _deferred.turned_on():
        yield


def events_record(events: list[ArticleEvent]) -> None:
    """Records each of ``events`` in the outbox (unless deferred), in order, and stores the
    facts they lead to: one query for the articles that disappeared, one for the rest."""
    if not _deferred.on:
        for event in events:
            outbox.outbox_record(ARTICLE_TOPIC, subject(event.article_id), event.as_json())
    gone = [event.article_id for event in events if event.after is None]
    if gone:
        VisibleArticle.objects.filter(article_id__in=gone).delete()
    now = timezone.now()
    seen = [
        VisibleArticle(article_id=event.article_id, facts=event.after.as_json(), recorded_at=now)
        for event in events
        if event.after is not None
    ]
    if seen:
        VisibleArticle.objects.bulk_create(
            seen,
            update_conflicts=True,
            unique_fields=["article_id"],
            update_fields=["facts", "recorded_at"],
        )


def articles_sync(
    ids: Iterable[int] | None, *, gone: Iterable[int] = (), skip: Iterable[int] = ()
) -> list[ArticleEvent]:
    """Records the event of each article of ``ids`` (None: every visible or recorded
    article) whose facts differ from the recorded ones, except those in ``skip``. ``gone``:
    articles being deleted, which readers no longer see whatever the database still says.
    Idempotent: a second call records nothing. Returns the events."""
    if ids is None:
        now = visible_facts(None)
        before = recorded_facts(None)
        ids = now.keys() | before.keys()
    else:
        ids = set(ids) | set(gone)
        if len(ids) > BULK:
            # A whole Ressort or the home page: read everything rather than name each id.
            now = {pk: f for pk, f in visible_facts(None).items() if pk in ids}
            before = {pk: f for pk, f in recorded_facts(None).items() if pk in ids}
        else:
            now = visible_facts(ids)
            before = recorded_facts(ids)
        for pk in gone:
            now.pop(pk, None)
    events = []
    for article_id in sorted(set(ids) - set(skip)):
        event = ArticleEvent.between(article_id, before.get(article_id), now.get(article_id))
        if event is not None:
            events.append(event)
    events_record(events)
    return events


def pages_record(page: Page) -> None:
    """Records a change to a page other than an article (moved, restricted, published,
    deleted): its articles are re-evaluated by the ``pages`` event's first step."""
    if _deferred.on:
        return
    outbox.outbox_record(PAGES_TOPIC, f"page-{page.pk}", {"page_id": page.pk})


def label_record(article_ids: Iterable[int], label_keys: Iterable[str]) -> None:
    """Records that what readers see of the visible ones of ``article_ids`` changed although
    their facts did not: an author's or a topic's name, slug or text was edited (bylines,
    the "Mehr zum Thema" row, the search entries name them). Each gets a ``changed`` event
    without changes, as the reconciliation's repairs do: every derived step runs again, then
    the article's purge, together with ``label_keys`` (the author's or topic's own pages,
    which are also purged once this commits, in case no article of theirs is visible)."""
    label_keys = sorted(label_keys)
    transaction.on_commit(partial(surrogate.purge, label_keys), robust=True)
    if _deferred.on:
        return
    facts = visible_facts(set(article_ids))
    # An author of thousands of articles: one nudge, drained behind the desk's publishes.
    with outbox.outbox_batch():
        for article_id, now in sorted(facts.items()):
            event = ArticleEvent(EventKind.CHANGED, article_id, now, now)
            payload = {**event.as_json(), outbox.EXTRA_KEYS: label_keys}
            outbox.outbox_record(ARTICLE_TOPIC, subject(article_id), payload)


def reevaluate(payload: dict) -> None:
    """Step ``news.reevaluate`` of a ``pages`` event: syncs every article under the page
    where it is now. A deleted page's articles recorded their own events as they went."""
    page = Page.objects.filter(pk=payload["page_id"]).first()
    if page is None:
        return
    articles_sync(ArticlePage.objects.descendant_of(page).order_by().values_list("pk", flat=True))


def purge_pages(payload: dict) -> None:
    """Step ``news.purge_pages`` of a ``pages`` event: the page is in the menu or the footer
    of every page, so every stored page goes."""
    purge_page_cache()


def purge_article(payload: dict) -> None:
    """Step ``news.purge`` of an ``article`` event: the keys of the event and those the
    earlier steps added (the pages whose lists they rewrote)."""
    event = ArticleEvent.from_json(payload)
    surrogate.purge(event.purge_keys() | set(payload.get(outbox.EXTRA_KEYS, [])))


def register_steps() -> None:
    outbox.register_step(PAGES_TOPIC, "news.reevaluate", reevaluate, outbox.DERIVED)
    outbox.register_step(PAGES_TOPIC, "news.purge_pages", purge_pages, outbox.PURGE)
    outbox.register_step(ARTICLE_TOPIC, "news.purge", purge_article, outbox.PURGE)
