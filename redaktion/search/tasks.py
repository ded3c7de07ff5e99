"""Background work of the search index: ids in, services called, safe to run twice."""

from django_tasks import task

from . import services


@task()
def index_article(article_id: int) -> bool:
    """Indexes the article, or removes it when it is no longer published."""
    return services.search_index_article(article_id=article_id)


@task()
def remove_article(article_id: int) -> None:
    """Takes the article out of the index."""
    services.search_remove_article(article_id=article_id)
