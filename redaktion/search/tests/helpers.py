from datetime import timedelta

from django.utils import timezone

from redaktion.news.factories import ArticlePageFactory

NEUTRAL = "Der Bericht erschien am Abend."


def article(ressort, *, title="Ein Bericht", lead=NEUTRAL, body=NEUTRAL, days_ago=1, **kwargs):
    """A published article with exactly the given text (the factory would add random words)."""
    return ArticlePageFactory(
        parent=ressort,
        title=title,
        lead=lead,
        kicker="",
        paragraphs=[body],
        first_published_at=timezone.now() - timedelta(days=days_ago),
        **kwargs,
    )


def titles(results):
    return [a.title for a in results.articles]
