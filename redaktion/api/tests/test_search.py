"""Search through the API: the site's German search, published public articles only."""

import pytest
from wagtail.models import PageViewRestriction

from redaktion.api import schemas
from redaktion.news.factories import ArticlePageFactory, RessortPageFactory

pytestmark = pytest.mark.django_db


def test_search_finds_published_public_articles_only(client, home_page, run_tasks):
    with run_tasks():
        politik = RessortPageFactory(title="Politik")
        found = ArticlePageFactory(parent=politik, title="Der Vulkan auf Island bricht aus")
        restricted = ArticlePageFactory(parent=politik, title="Der Vulkan und die Asche")
        withdrawn = ArticlePageFactory(parent=politik, title="Ein Vulkan im Meer")
    with run_tasks():
        PageViewRestriction.objects.create(
            page=restricted, restriction_type="password", password="x"
        )
        withdrawn.unpublish()
    response = client.get("/api/v1/search/", {"q": "Vulkan"})
    assert response.status_code == 200
    data = schemas.SearchList.model_validate(response.json())
    assert [item.id for item in data.items] == [found.pk]
    assert data.items[0].ressort.title == "Politik"
    assert "search" in response["Surrogate-Key"].split()


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "Vulkan", "page": 0}])
def test_bad_search_parameters_are_a_400(client, home_page, params):
    response = client.get("/api/v1/search/", params)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_a_page_beyond_the_results_is_a_400(client, home_page):
    response = client.get("/api/v1/search/", {"q": "Vulkan", "page": 3})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("page")
