"""Writes of "Mehr zum Thema": index one article, drop one, rebuild everything.

Every service is idempotent: running it twice leaves the same rows. The engine
(``redaktion.related.engine``) does the maths; these modules load articles, keep the index
tables in step and maintain the stored lists (``models.py``):

* ``indexing``: one article on publish, edit, unpublish or delete (``related_index_article``,
  ``related_refresh_article``, ``related_remove_article``), and what it computes without
  writing (``compute_list``);
* ``candidates``: the candidate pool an article is scored against;
* ``articles``: the published articles, their text and topics, an indexed article;
* ``rebuild``: everything at once (``related_rebuild``), written through ``bulk``.
"""

from .articles import indexed
from .indexing import (
    compute_list,
    related_index_article,
    related_refresh_article,
    related_remove_article,
)
from .rebuild import related_rebuild

__all__ = [
    "compute_list",
    "indexed",
    "related_index_article",
    "related_rebuild",
    "related_refresh_article",
    "related_remove_article",
]
