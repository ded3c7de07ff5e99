"""Background work of "Mehr zum Thema": ids in, services called, safe to run twice."""

from django_tasks import task

from . import services


@task()
def index_article(article_id: int) -> int:
    """Computes the article's list and updates the lists it belongs in (or removes it when
    it is no longer published). Returns the length of its list."""
    return services.related_index_article(article_id=article_id)


@task()
def remove_article(article_id: int) -> list[int]:
    """Takes the article out of the index and every list and refills those lists."""
    return services.related_remove_article(article_id=article_id)


@task()
def refresh_articles(article_ids: list[int]) -> int:
    """Recomputes the lists of ``article_ids`` from their stored vectors."""
    return sum(services.related_refresh_article(article_id=pk) for pk in article_ids)
