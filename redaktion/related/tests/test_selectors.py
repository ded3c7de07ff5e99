"""related_for: picks first, blocks and unpublished articles never shown, fixed queries."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from redaktion.news.factories import RessortPageFactory
from redaktion.news.models import ArticlePage, HomePage
from redaktion.related.models import RelatedBlock, RelatedPick, Suggestion
from redaktion.related.selectors import related_for

from .helpers import article

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def desk_ids(module_db):
    """An article with stored suggestions s0…s4 (score 0.9…0.5) and two other articles,
    built once for the module: ``(main id, [other ids])``."""
    ressort = RessortPageFactory(parent=HomePage.objects.get(depth=2), title="Politik")
    main = article(ressort, "Die Koalition streitet über den Haushalt.", days_ago=1)
    others = [
        article(ressort, f"Bericht Nummer {i} über den Haushalt.", days_ago=2) for i in range(7)
    ]
    for i, other in enumerate(others[:5]):
        Suggestion.objects.create(article=main, suggested=other, score=0.9 - i / 10)
    return main.pk, [other.pk for other in others]


@pytest.fixture
def desk(desk_ids, db):
    """The module's desk as pages read afresh for each test, so a test may change them."""
    main_id, other_ids = desk_ids
    pages = ArticlePage.objects.in_bulk([main_id, *other_ids])
    return pages[main_id], [pages[pk] for pk in other_ids]


def shown(main, **kwargs):
    return [page.pk for page in related_for(main, weight=0.0, **kwargs)]


def test_suggestions_by_score(desk):
    main, others = desk
    assert shown(main) == [page.pk for page in others[:5]]
    assert shown(main, limit=2) == [others[0].pk, others[1].pk]


def test_picks_come_first_in_their_order_and_are_not_repeated(desk):
    main, others = desk
    main.related_picks = [RelatedPick(article=others[6]), RelatedPick(article=others[2])]
    assert shown(main, limit=4) == [others[6].pk, others[2].pk, others[0].pk, others[1].pk]


def test_blocked_articles_are_never_shown(desk):
    main, others = desk
    main.related_blocks = [RelatedBlock(article=others[0]), RelatedBlock(article=others[6])]
    main.related_picks = [RelatedPick(article=others[6])]
    result = shown(main)
    assert others[0].pk not in result and others[6].pk not in result
    assert result == [page.pk for page in others[1:5]]


def test_self_unpublished_future_and_private_articles_are_excluded(desk):
    main, others = desk
    Suggestion.objects.create(article=main, suggested=main, score=1.0)
    others[0].unpublish()
    type(others[1]).objects.filter(pk=others[1].pk).update(
        first_published_at=timezone.now() + timedelta(days=1)
    )
    PageViewRestriction.objects.create(page=others[2], restriction_type="login")
    main.related_picks = [RelatedPick(article=main), RelatedPick(article=others[0])]
    assert shown(main) == [others[3].pk, others[4].pk]


def test_recency_weight_prefers_the_closer_article(desk, home_page):
    main, others = desk
    ressort = main.get_parent()
    old = article(ressort, "Ein alter Bericht über den Haushalt.", days_ago=400)
    Suggestion.objects.filter(article=main).delete()
    Suggestion.objects.create(article=main, suggested=old, score=0.8)
    Suggestion.objects.create(article=main, suggested=others[0], score=0.6)
    assert [p.pk for p in related_for(main, weight=0.0)] == [old.pk, others[0].pk]
    assert [p.pk for p in related_for(main, weight=1.0)] == [others[0].pk, old.pk]


@pytest.mark.parametrize("extra", [0, 5])
def test_query_count_does_not_grow_with_the_list(desk, django_assert_num_queries, extra):
    main, others = desk
    for other in others[5 : 5 + extra]:
        Suggestion.objects.create(article=main, suggested=other, score=0.1)
    main.related_picks = [RelatedPick(article=others[6])]
    main.related_blocks = [RelatedBlock(article=others[5])]
    # suggestions, pages, view restrictions (picks and blocks are in memory)
    with django_assert_num_queries(3):
        result = related_for(main, weight=0.2, limit=10)
    assert len(result) == 6


def test_query_count_from_the_database(desk, django_assert_num_queries):
    main, _ = desk
    fresh = type(main).objects.get(pk=main.pk)
    # blocks, picks, suggestions, pages, view restrictions
    with django_assert_num_queries(5):
        related_for(fresh, weight=0.2)


def test_query_count_with_the_site_setting(desk, django_assert_num_queries, home_page):
    from wagtail.models import Site

    from redaktion.related.models import RelatedSettings

    main, others = desk
    old = article(main.get_parent(), "Ein alter Bericht über den Haushalt.", days_ago=400)
    Suggestion.objects.create(article=main, suggested=old, score=0.95)
    fresh = type(main).objects.get(pk=main.pk)
    # with the default weight, 0.3, the 400-day-old article keeps 70 % of its 0.95:
    # below the fresh 0.9, 0.8 and 0.7
    with django_assert_num_queries(6):
        assert related_for(fresh).index(old) == 3
    setting = RelatedSettings.for_site(Site.objects.get(is_default_site=True))
    setting.recency_weight = 0.0
    setting.save()
    assert related_for(fresh)[0] == old
