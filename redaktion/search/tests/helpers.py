from datetime import timedelta

from django.utils import timezone

from redaktion.news.factories import ArticlePageFactory, RessortPageFactory, home_page
from redaktion.search.services import search_rebuild

NEUTRAL = "Der Bericht erschien am Abend."


def article(ressort, *, title="Ein Bericht", lead=NEUTRAL, body=NEUTRAL, days_ago=1, **kwargs):
    """A published article with exactly the given text (the factory would add random words);
    with ``publish=False`` a live one that Wagtail never published (see ``indexed``)."""
    return ArticlePageFactory(
        parent=ressort,
        title=title,
        lead=lead,
        kicker="",
        paragraphs=[body],
        first_published_at=timezone.now() - timedelta(days=days_ago),
        **kwargs,
    )


def indexed(ressort, *specs, **common) -> list:
    """Articles in ``ressort``, live but never published through Wagtail, then indexed
    through the search service: for tests about finding articles, not about what publishing
    sets off. A spec is ``(title, body)`` or a dict of ``article``'s arguments; ``common``
    goes to every article."""
    pages = [
        article(ressort, publish=False, **common, **spec)
        if isinstance(spec, dict)
        else article(ressort, title=spec[0], body=spec[1], publish=False, **common)
        for spec in specs
    ]
    search_rebuild()
    return pages


def newsroom_ressorts() -> dict:
    """Politik, Wirtschaft and Sport under the home page, live (no test here is about
    publishing a Ressort)."""
    return {
        name: RessortPageFactory(parent=home_page(), title=name, slug=name.lower(), publish=False)
        for name in ("Politik", "Wirtschaft", "Sport")
    }


def titles(results):
    return [a.title for a in results.articles]
