"""Purging cached responses by surrogate key (``redaktion.news.keys``)."""

from collections.abc import Iterable

from .middleware import purge_page_cache


def purge(keys: Iterable[str]) -> None:
    """Purges the responses that name any of ``keys`` from the in-app page cache and the
    front caches. The keys are honoured by the page cache's key index; where no index is
    kept, every stored page is dropped, which purges them too. Idempotent: a second purge
    of the same keys only costs the next request a miss."""
    if set(keys):
        purge_page_cache()
