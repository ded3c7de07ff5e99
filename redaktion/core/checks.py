"""System checks of the page cache's settings."""

from django.conf import settings
from django.core.checks import Warning, register

PAGE_CACHE_PURGER = "redaktion.core.surrogate.PageCachePurger"


@register()
def check_recent_answers_behind_a_front_cache(app_configs, **kwargs):
    """Recent answers (``PAGE_CACHE_LOCAL_SECONDS``, ``core.fasthit``) in front of a purged
    front cache: right after a purge the front cache asks the app again and could store
    an answer a web process still keeps from before it, for the whole ``s-maxage``."""
    front_caches = [b for b in settings.SURROGATE_PURGE_BACKENDS if b != PAGE_CACHE_PURGER]
    if settings.PAGE_CACHE_LOCAL_SECONDS > 0 and front_caches:
        return [
            Warning(
                "PAGE_CACHE_LOCAL_SECONDS is set while a front cache is purged "
                f"({', '.join(front_caches)}): it may store a page from before a purge.",
                hint="Set PAGE_CACHE_LOCAL_SECONDS=0 (the default with a front cache).",
                id="core.W001",
            )
        ]
    return []
