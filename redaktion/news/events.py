"""What readers can see of an article, and the events that say how it changed.

An article is *visible* when ``ArticlePage.objects.published()`` holds it: live, public and
first published. ``ArticleFacts`` is what of a visible article shows elsewhere on the site
(its URL, headline, Ressort, topics, authors, times). Comparing the facts before and after
a change gives one ``ArticleEvent``:

* ``visible``: the article joined the published set (first publication, republication, a
  view restriction lifted, moved back under a public page);
* ``changed``: it stays visible and what shows of it changed (``changes`` names the fields);
* ``hidden``: it left the published set (unpublished, deleted, restricted, expired).

Events are plain data: they are stored in the outbox as JSON and read back by every step
of the publish pipeline, so they never hold model instances.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime
from enum import StrEnum

from . import keys


class EventKind(StrEnum):
    VISIBLE = "visible"
    CHANGED = "changed"
    HIDDEN = "hidden"


@dataclass(frozen=True)
class ArticleFacts:
    """What readers see of a visible article outside its own page."""

    title: str
    url_path: str
    ressort_id: int | None
    topic_ids: tuple[int, ...]
    author_ids: tuple[int, ...]
    first_published_at: datetime
    updated_at: datetime | None
    revision_id: int | None

    def as_json(self) -> dict:
        data = asdict(self)
        data["topic_ids"] = list(self.topic_ids)
        data["author_ids"] = list(self.author_ids)
        for name in ("first_published_at", "updated_at"):
            data[name] = data[name].isoformat() if data[name] else None
        return data

    @classmethod
    def from_json(cls, data: dict | None) -> ArticleFacts | None:
        if data is None:
            return None
        values = dict(data)
        values["topic_ids"] = tuple(values["topic_ids"])
        values["author_ids"] = tuple(values["author_ids"])
        for name in ("first_published_at", "updated_at"):
            values[name] = datetime.fromisoformat(values[name]) if values[name] else None
        return cls(**values)


FACT_FIELDS = tuple(field.name for field in fields(ArticleFacts))


@dataclass(frozen=True)
class ArticleEvent:
    kind: EventKind
    article_id: int
    before: ArticleFacts | None
    after: ArticleFacts | None

    @classmethod
    def between(
        cls, article_id: int, before: ArticleFacts | None, after: ArticleFacts | None
    ) -> ArticleEvent | None:
        """The event that leads from ``before`` to ``after`` (None: not visible), or None
        when readers see no difference."""
        if before is None and after is None:
            return None
        if before is None:
            return cls(EventKind.VISIBLE, article_id, None, after)
        if after is None:
            return cls(EventKind.HIDDEN, article_id, before, None)
        if before == after:
            return None
        return cls(EventKind.CHANGED, article_id, before, after)

    @property
    def changes(self) -> frozenset[str]:
        """The fields of ``ArticleFacts`` that differ; every field for visible/hidden."""
        if self.before is None or self.after is None:
            return frozenset(FACT_FIELDS)
        return frozenset(
            name for name in FACT_FIELDS if getattr(self.before, name) != getattr(self.after, name)
        )

    def purge_keys(self) -> set[str]:
        """The surrogate keys of every response that this event makes stale (see ``keys``):
        the article wherever it shows; when it joins or leaves the published set, also the
        site-wide lists and the lists of its Ressort, topics, authors and month; when it
        stays, the lists it joined or left."""
        result = {keys.article(self.article_id), keys.page(self.article_id)}
        facts = [f for f in (self.before, self.after) if f is not None]
        if self.kind != EventKind.CHANGED:
            result.update(keys.PUBLISHED_SET)
            for f in facts:
                result.update(_list_keys(f.ressort_id, f.topic_ids, f.author_ids))
                result.add(keys.archive(f.first_published_at))
            return result
        before, after = self.before, self.after
        if before.title != after.title or before.url_path != after.url_path:
            # The sitemaps (the news sitemap shows headlines) and the search suggestions list
            # articles without naming each one's key.
            result.update((keys.SITEMAP, keys.SEARCH))
        if before.ressort_id != after.ressort_id:
            result.update(_list_keys(before.ressort_id, (), ()))
            result.update(_list_keys(after.ressort_id, (), ()))
        result.update(
            _list_keys(
                None,
                set(before.topic_ids) ^ set(after.topic_ids),
                set(before.author_ids) ^ set(after.author_ids),
            )
        )
        if before.first_published_at != after.first_published_at:
            # Listings are ordered by first publication: the article moved within them all.
            result.update(keys.PUBLISHED_SET)
            result.update(_list_keys(after.ressort_id, after.topic_ids, after.author_ids))
            result.add(keys.archive(before.first_published_at))
            result.add(keys.archive(after.first_published_at))
        return result

    def as_json(self) -> dict:
        return {
            "kind": str(self.kind),
            "article_id": self.article_id,
            "before": self.before.as_json() if self.before else None,
            "after": self.after.as_json() if self.after else None,
        }

    @classmethod
    def from_json(cls, data: dict) -> ArticleEvent:
        return cls(
            EventKind(data["kind"]),
            data["article_id"],
            ArticleFacts.from_json(data["before"]),
            ArticleFacts.from_json(data["after"]),
        )


def _list_keys(ressort_id, topic_ids, author_ids) -> set[str]:
    result = {keys.ressort(ressort_id)} if ressort_id else set()
    result.update(keys.topic(pk) for pk in topic_ids)
    result.update(keys.author(pk) for pk in author_ids)
    return result
