from django_tasks import task

from .middleware import purge_page_cache


@task()
def purge_pages() -> None:
    """Drop every page in Django's page cache. Idempotent: a second run only costs a miss.

    The caching proxy/CDN in front is purged by ``wagtail.contrib.frontend_cache`` on the
    same signals when ``WAGTAILFRONTENDCACHE`` is configured.
    """
    purge_page_cache()
