"""What the index reads of articles: the published ones, their text as the engine reads it,
their topics, and an indexed article as scoring needs it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from redaktion.news.blocks import body_text
from redaktion.news.models import ArticlePage, TaggedArticle

from ..engine.terms import Document
from ..engine.vectors import SparseVector
from ..models import ArticleVector


@dataclass
class Indexed:
    """What scoring needs of one indexed article."""

    pk: int
    ressort_path: str
    published_at: object
    topics: list[int]
    vector: SparseVector | None
    profile: SparseVector | None = None

    @classmethod
    def from_columns(cls, pk, ressort_path, published_at, topic_ids, vector, profile) -> Indexed:
        """From the columns of an ``ArticleVector`` row; a vector of None stays None."""
        return cls(
            pk=pk,
            ressort_path=ressort_path,
            published_at=published_at,
            topics=[int(topic) for topic in topic_ids.split(",") if topic],
            vector=SparseVector.from_bytes(bytes(vector)) if vector is not None else None,
            profile=SparseVector.from_bytes(bytes(profile)),
        )


def published_articles():
    """Articles that readers may see (``ArticlePage.objects.published()``)."""
    return ArticlePage.objects.published()


def document(title, kicker, lead, body) -> Document:
    """What the engine reads of an article (its body as plain text)."""
    return Document(body=body_text(body), headline=title, kicker=kicker, lead=lead)


def topics_of(article_ids: Iterable[int]) -> dict[int, list[int]]:
    """The topic ids of each of ``article_ids``, in id order. One query."""
    topics: dict[int, list[int]] = {}
    rows = TaggedArticle.objects.filter(content_object_id__in=list(article_ids))
    for article_id, tag_id in rows.values_list("content_object_id", "tag_id").order_by("tag_id"):
        topics.setdefault(article_id, []).append(tag_id)
    return topics


def indexed(stored: ArticleVector) -> Indexed:
    """What scoring needs of a stored ``ArticleVector``."""
    return Indexed.from_columns(
        stored.pk,
        stored.ressort_path,
        stored.published_at,
        stored.topic_ids,
        stored.vector,
        stored.profile,
    )
