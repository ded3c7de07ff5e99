"""The search index's step of the publish pipeline: ``search.entry`` of every article event
(derived data, first). It reads the article as it is when it runs, so it indexes a visible
article and removes one readers no longer see; running it twice writes the same row."""

from redaktion.core import outbox
from redaktion.news.publishing import ARTICLE_TOPIC

from .services import search_index_article


def entry(payload: dict) -> None:
    search_index_article(article_id=payload["article_id"])


def register_steps() -> None:
    outbox.register_step(ARTICLE_TOPIC, "search.entry", entry, outbox.DERIVED)
