"""The ``import`` event's steps: what a bulk import deferred (``importers.bulk``), done once.

Derived data first (the search index and the related lists rebuilt from every published
article, Wagtail's reference index for the imported pages), then one purge of every stored
page. Each step rebuilds from what is in the database when it runs, so running it twice
gives the same result.
"""

from django.core.management import call_command

from redaktion.core import outbox
from redaktion.core.middleware import purge_page_cache
from redaktion.related.services import related_rebuild
from redaktion.search.services import search_rebuild

from .bulk import IMPORT_TOPIC


def search(payload: dict) -> None:
    search_rebuild()


def related(payload: dict) -> None:
    # In the worker, inside the step's transaction: no forked processes holding a copy of
    # its database connection.
    related_rebuild(workers=1)


def references(payload: dict) -> None:
    call_command("rebuild_references_index", verbosity=0)


def purge(payload: dict) -> None:
    purge_page_cache()


def register_steps() -> None:
    outbox.register_step(IMPORT_TOPIC, "importers.search", search, outbox.DERIVED)
    outbox.register_step(IMPORT_TOPIC, "importers.related", related, outbox.DERIVED)
    outbox.register_step(IMPORT_TOPIC, "importers.references", references, outbox.DERIVED)
    outbox.register_step(IMPORT_TOPIC, "importers.purge", purge, outbox.PURGE)
