"""Factories for "Mehr zum Thema", shared by the tests and the ``redaktion demo`` command."""

import factory

from redaktion.news.factories import ArticlePageFactory

from .models import RelatedPick


class ArticleWithPicksFactory(ArticlePageFactory):
    """``news``' article factory plus ``picks``: the editor's picks (a list of
    ``ArticlePage``), in their order, attached before the first save like the authors and
    topics, so the first revision already carries them."""

    picks = factory.LazyFunction(list)

    _relations = (*ArticlePageFactory._relations, "picks")

    @classmethod
    def _attach(cls, page, *, picks, **relations):
        super()._attach(page, **relations)
        page.related_picks = [RelatedPick(article=article) for article in picks]
