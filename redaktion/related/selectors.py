"""Reads of "Mehr zum Thema"."""

from __future__ import annotations

from django.utils import timezone

from redaktion.news.models import ArticlePage

from . import engine
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
    ``(page, score)`` by score × recency (engine.recency_factor), highest first: published,
    public, already first published, and not the article itself. Editor picks and blocks
    are not applied here. Three queries (suggestions, pages, view restrictions)."""
    now = now or timezone.now()
    stored = list(
        Suggestion.objects.filter(article_id=article.pk)
        .order_by("-score", "suggested_id")
        .values_list("suggested_id", "score")[: engine.LIST_LENGTH]
    )
    if not stored:
        return []
    pages = {
        page.pk: page
        for page in ArticlePage.objects.published()
        .defer_streamfields()
        .filter(pk__in=[pk for pk, _ in stored], first_published_at__lte=now)
        .exclude(pk=article.pk)
    }
    published = article.first_published_at or now
    scored = []
    for pk, score in stored:
        page = pages.get(pk)
        if page is None:
            continue
        days = (page.first_published_at - published).total_seconds() / 86400
        scored.append((page, score * engine.recency_factor(days, weight)))
    scored.sort(key=lambda item: (-item[1], item[0].pk))
    return scored


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
    stored = list(
        Suggestion.objects.filter(article_id=article.pk)
        .exclude(suggested_id__in=[*blocked, *pick_ids])
        .order_by("-score", "suggested_id")
        .values_list("suggested_id", "score")[: engine.LIST_LENGTH]
    )
    wanted = pick_ids + [pk for pk, _ in stored]
    if not wanted:
        return []
    pages = {
        page.pk: page
        for page in ArticlePage.objects.published()
        .defer_streamfields()
        .filter(pk__in=wanted, first_published_at__lte=now)
        .exclude(pk=article.pk)
    }
    picks = [pages[pk] for pk in pick_ids if pk in pages]
    published = article.first_published_at or now
    suggested = []
    for pk, score in stored:
        page = pages.get(pk)
        if page is not None:
            days = (page.first_published_at - published).total_seconds() / 86400
            suggested.append((score * engine.recency_factor(days, weight), page))
    suggested.sort(key=lambda item: (-item[0], item[1].pk))
    return (picks + [page for _, page in suggested])[:limit]
