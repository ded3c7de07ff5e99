"""Every scheduler run of the worker prunes the query log to ``SEARCH_LOG_DAYS``."""

from django.dispatch import receiver

from redaktion.core.worker import scheduler_ran

from .services import query_log_prune


@receiver(scheduler_ran, dispatch_uid="redaktion.search.query_log_prune")
def prune_query_log(sender, **kwargs):
    return f"search: {query_log_prune()} old query log entries deleted"
