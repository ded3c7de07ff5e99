"""Reads of "Mehr zum Thema"."""

from __future__ import annotations

from django.utils import timezone

from redaktion.news.models import ArticlePage

from .engine.scoring import LIST_LENGTH, recency_factor
from .models import RelatedSettings, Suggestion

RELATED_LENGTH = 6


def recency_weight(site=None) -> float:
    """The recency weight set for ``site`` (default: the default site), or the model's
    default when nobody has saved the setting. One query."""
    rows = RelatedSettings.objects.all()
    rows = rows.filter(site=site) if site is not None else rows.filter(site__is_default_site=True)
    weight = rows.values_list("recency_weight", flat=True).first()
    if weight is None:
        return RelatedSettings._meta.get_field("recency_weight").default
    return weight


def suggestions_for(article: ArticlePage, *, weight: float, now=None) -> list[tuple]:
    """The stored automatic suggestions of ``article`` that a reader may see, as
    ``(page, score)`` by score × recency (``recency_factor``), highest first: published,
    public, already first published, and not the article itself. Editor picks and blocks
    are not applied here. Three queries (suggestions, pages, view restrictions)."""
    now = now or timezone.now()
    stored = _stored(article)
    if not stored:
        return []
    pages = _visible(article, [pk for pk, _ in stored], now)
    return _ranked(article, stored, pages, weight=weight, now=now)


def related_for(
    article: ArticlePage, *, limit: int = RELATED_LENGTH, weight: float | None = None, now=None
) -> list[ArticlePage]:
    """ "Mehr zum Thema" for ``article``: the editor's picks in their order, then the engine's
    suggestions by score × recency, ``limit`` in all.

    Never shows the article itself, an unpublished, private or not-yet-published article,
    an article the editor blocked (``related_blocks``), or an article twice. Picks and blocks
    are read from the page's in-memory cluster, so a preview shows unsaved edits. ``weight``
    is the recency weight; when omitted, the default site's setting (``recency_weight()``).

    Queries: picks and blocks (one each unless the page came from a revision), stored
    suggestions, the pages of picks and suggestions, the view-restriction check, and the
    setting when ``weight`` is omitted: at most six, whatever the number of articles.
    """
    if weight is None:
        weight = recency_weight()
    now = now or timezone.now()
    blocked = {block.article_id for block in article.related_blocks.all()}
    pick_ids = [pick.article_id for pick in article.related_picks.all()]
    pick_ids = [
        pk for pk in dict.fromkeys(pick_ids) if pk and pk != article.pk and pk not in blocked
    ]
    stored = _stored(article, exclude=[*blocked, *pick_ids])
    wanted = pick_ids + [pk for pk, _ in stored]
    if not wanted:
        return []
    pages = _visible(article, wanted, now)
    picks = [pages[pk] for pk in pick_ids if pk in pages]
    suggested = [page for page, _ in _ranked(article, stored, pages, weight=weight, now=now)]
    return (picks + suggested)[:limit]


def editor_suggestions(article: ArticlePage) -> list[dict]:
    """The engine's suggestions as the article editor shows them: ``suggestions_for`` by
    similarity alone (no recency), each row ``{page, score, picked, blocked}``, marked from
    the editor's picks and blocks in memory (so a draft's lists count). None for an article
    not saved yet. Three queries, plus one each for picks and blocks not in memory."""
    if not article.pk:
        return []
    picked = {pick.article_id for pick in article.related_picks.all()}
    blocked = {block.article_id for block in article.related_blocks.all()}
    return [
        {"page": page, "score": score, "picked": page.pk in picked, "blocked": page.pk in blocked}
        for page, score in suggestions_for(article, weight=0.0)
    ]


def _stored(article: ArticlePage, *, exclude=()) -> list[tuple[int, float]]:
    """``(id, score)`` of the article's stored suggestions but ``exclude``, best first, at
    most ``LIST_LENGTH``. One query."""
    return list(
        Suggestion.objects.filter(article_id=article.pk)
        .exclude(suggested_id__in=list(exclude))
        .order_by("-score", "suggested_id")
        .values_list("suggested_id", "score")[:LIST_LENGTH]
    )


def _visible(article: ArticlePage, ids, now) -> dict[int, ArticlePage]:
    """The pages of ``ids`` a reader may see under ``article`` by id: published, public,
    first published by ``now``, not the article itself. Two queries (pages, view
    restrictions)."""
    return {
        page.pk: page
        for page in ArticlePage.objects.published()
        .defer_streamfields()
        .filter(pk__in=ids, first_published_at__lte=now)
        .exclude(pk=article.pk)
    }


def _ranked(article: ArticlePage, stored, pages, *, weight: float, now) -> list[tuple]:
    """``(page, score × recency)`` of the ``stored`` suggestions found in ``pages``, highest
    first (ties by id); recency counts from the article's first publication (``now`` for a
    draft)."""
    published = article.first_published_at or now
    scored = []
    for pk, score in stored:
        page = pages.get(pk)
        if page is not None:
            days = (page.first_published_at - published).total_seconds() / 86400
            scored.append((page, score * recency_factor(days, weight)))
    scored.sort(key=lambda item: (-item[1], item[0].pk))
    return scored
