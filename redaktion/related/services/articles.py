"""What the index reads of articles: the published ones, their text as the engine reads it,
their topics, and an indexed article as scoring needs it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from redaktion.news.blocks import body_text
from redaktion.news.models import ArticlePage, TaggedArticle

from ..engine.names import case_counts, common_words, is_compound_of, names, split_names, tails
from ..engine.terms import Document
from ..engine.vectors import SparseVector
from ..models import ArticleVector, CommonWord


@dataclass
class Indexed:
    """What scoring needs of one indexed article."""

    pk: int
    ressort_path: str
    published_at: object
    topics: list[int]
    vector: SparseVector | None
    profile: SparseVector | None = None
    names: list[str] = field(default_factory=list)

    @classmethod
    def from_columns(
        cls, pk, ressort_path, published_at, topic_ids, vector, profile, names=""
    ) -> Indexed:
        """From the columns of an ``ArticleVector`` row; a vector of None stays None."""
        return cls(
            pk=pk,
            ressort_path=ressort_path,
            published_at=published_at,
            topics=[int(topic) for topic in topic_ids.split(",") if topic],
            vector=SparseVector.from_bytes(bytes(vector)) if vector is not None else None,
            profile=SparseVector.from_bytes(bytes(profile)),
            names=split_names(names),
        )


def published_articles():
    """Articles that readers may see (``ArticlePage.objects.published()``)."""
    return ArticlePage.objects.published()


def common_words_for(forms) -> dict[str, bool]:
    """The ``CommonWord`` rows among ``forms`` and their tails (``engine.names.tails``), as
    ``common_words`` returns them. One query."""
    wanted = sorted(tails(forms))
    if not wanted:
        return {}
    return dict(CommonWord.objects.filter(word__in=wanted).values_list("word", "adjective"))


def article_names(document: Document) -> list[str]:
    """The names of one article (``engine.names``): the common words are those the last
    rebuild learned, and those the article's own case statistics show. One query."""
    counts = case_counts(document.headline, document.kicker, document.lead, document.body)
    forms = {form for run in counts.runs for form in run.split(" ")}
    common = common_words_for(forms)
    for form, adjective in common_words(counts).items():
        common[form] = common.get(form, False) or adjective
    for form in forms:
        if form not in common and is_compound_of(form, common):
            common[form] = False
    return names(counts.runs, common)


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
        stored.names,
    )
