from django_tasks import task

from .middleware import purge_page_cache


@task()
def purge_pages() -> None:
    """Purge every page (the ``site`` key) in the page cache and in every front cache of
    ``SURROGATE_PURGE_BACKENDS``. Idempotent: a second run only costs misses."""
    purge_page_cache()
