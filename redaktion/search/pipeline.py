"""The search index's part of the publish pipeline.

* Step ``search.entry`` of every article event (derived data, first). It reads the article
  as it is when it runs, so it indexes a visible article and removes one readers no longer
  see; running it twice writes the same row.
* Check ``search`` of the reconciliation: visible articles without an entry or with one
  older than their last publication, and entries of articles readers no longer see.
"""

from redaktion.core import outbox
from redaktion.news.publishing import ARTICLE_TOPIC
from redaktion.news.reconcile import register_check, stale_or_left_over

from .models import SearchDocument
from .services import search_index_article


def entry(payload: dict) -> None:
    search_index_article(article_id=payload["article_id"])


def derived_data_missing() -> set[int]:
    """Ids of the articles whose entry is missing, stale or left over. Three queries."""
    return stale_or_left_over(dict(SearchDocument.objects.values_list("article_id", "indexed_at")))


def register_steps() -> None:
    outbox.register_step(ARTICLE_TOPIC, "search.entry", entry, outbox.DERIVED)
    register_check("search", derived_data_missing)
