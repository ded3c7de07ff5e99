import pytest

from redaktion.news.factories import ArticlePageFactory, RessortPageFactory
from redaktion.related.factories import ArticleWithPicksFactory

pytestmark = pytest.mark.django_db


def test_picks_are_in_their_order_and_in_the_first_revision(home_page):
    ressort = RessortPageFactory(parent=home_page)
    older = [ArticlePageFactory(parent=ressort, publish=False) for _ in range(2)]

    article = ArticleWithPicksFactory(parent=ressort, picks=[older[1], older[0]])

    assert [pick.article for pick in article.related_picks.all()] == [older[1], older[0]]
    assert [pick["article"] for pick in article.live_revision.content["related_picks"]] == [
        older[1].pk,
        older[0].pk,
    ]
