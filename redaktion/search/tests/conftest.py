import pytest

from redaktion.news.factories import RessortPageFactory, reseed


@pytest.fixture(autouse=True)
def _seed():
    reseed()


@pytest.fixture
def ressorts(home_page):
    return {
        name: RessortPageFactory(parent=home_page, title=name, slug=name.lower())
        for name in ("Politik", "Wirtschaft", "Sport")
    }
