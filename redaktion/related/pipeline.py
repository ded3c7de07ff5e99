""" "Mehr zum Thema"'s step of the publish pipeline: ``related.lists`` of every article event
(derived data, first). It (re)computes the article's list and the lists of other articles
it now belongs in, or takes it out of every list and refills them, and returns the page
keys of the *other* articles whose lists changed, so the event's purge drops them too.

A deletion cascades the stored lists away before the step runs, so the articles listing a
deleted article are noted when the event is recorded (``prepare``)."""

from redaktion.core import outbox
from redaktion.news import keys
from redaktion.news.events import EventKind
from redaktion.news.publishing import ARTICLE_TOPIC
from redaktion.news.reconcile import register_check, stale_or_left_over

from .models import ArticleVector, Suggestion
from .services import related_index_article, related_refresh_article, related_remove_article

HOLDERS = "related_holders"


def _holders(article_id: int) -> set[int]:
    """The articles whose stored list holds ``article_id``."""
    return set(
        Suggestion.objects.filter(suggested_id=article_id)
        .exclude(article_id=article_id)
        .values_list("article_id", flat=True)
    )


def prepare(payload: dict) -> dict:
    if payload["kind"] != EventKind.HIDDEN:
        return {}
    return {HOLDERS: sorted(_holders(payload["article_id"]))}


def lists(payload: dict) -> set[str]:
    article_id = payload["article_id"]
    if payload["kind"] == EventKind.HIDDEN:
        changed = set(related_remove_article(article_id=article_id))
        for holder in set(payload.get(HOLDERS, ())) - changed:
            # Listed the article before a deletion cascaded its entry away: refill.
            related_refresh_article(article_id=holder)
            changed.add(holder)
    else:
        before = _holders(article_id)
        related_index_article(article_id=article_id)
        changed = before ^ _holders(article_id)
    changed.discard(article_id)
    return {keys.page(pk) for pk in changed}


def derived_data_missing() -> set[int]:
    """Ids of the articles whose list is missing, stale or left over. Three queries."""
    return stale_or_left_over(dict(ArticleVector.objects.values_list("pk", "indexed_at")))


def register_steps() -> None:
    outbox.register_step(ARTICLE_TOPIC, "related.lists", lists, outbox.DERIVED, prepare=prepare)
    register_check("related", derived_data_missing)
