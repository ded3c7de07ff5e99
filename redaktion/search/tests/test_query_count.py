"""The results page costs the same number of queries whatever the number of matches.

A module of its own: the articles it counts with are the test's, not a shared corpus's."""

import pytest
from django.core.cache import caches
from django.db import connection

from redaktion.news.factories import ImageFactory

from .helpers import indexed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [20, 40])
def test_query_count_of_the_results_page(ressorts, client, count, django_assert_num_queries):
    image = ImageFactory(width=800, height=450)
    indexed(
        ressorts["Politik"],
        *[(f"Vulkan {n}", "Vulkan.") for n in range(count)],
        lead_image=image,
    )
    client.get("/suche/", {"q": "Vulkanausbruch Vulkan"})  # renditions made, as on a running site
    caches["default"].clear()
    # The menu's Ressorts (2: view restrictions, Ressorts), site and search settings (2),
    # compound widening (2), promotions (1), the editors' boosts (1), facets for every word
    # and, since fewer than a page has both words, for any word with the page of ids
    # (PostgreSQL: 2, one query each; SQLite: 3, facets twice and the ids), the first
    # positions of the words in the first results for the second stage (1), teasers (2:
    # articles, renditions; the view restrictions are read once per request, with the
    # menu), author names (1), brand settings and the footer's legal pages (2): the same for
    # 20 and for 40 matching articles.
    expected = EXPECTED_QUERIES - (connection.vendor == "postgresql")
    with django_assert_num_queries(expected):
        response = client.get("/suche/", {"q": "Vulkanausbruch Vulkan"})
    assert response.status_code == 200


EXPECTED_QUERIES = 17
