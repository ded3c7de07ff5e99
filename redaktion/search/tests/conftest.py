import pytest

from redaktion.news.factories import reseed

from .helpers import newsroom_ressorts


@pytest.fixture(autouse=True)
def _seed():
    reseed()


@pytest.fixture
def ressorts(home_page):
    return newsroom_ressorts()


@pytest.fixture(scope="module")
def module_ressorts(module_db):
    """The Ressorts once for a module whose tests only read (see ``module_db``): its module
    fixtures build their articles in them. A test that adds an article of its own puts it
    under a copy of the Ressort read from the database (adding a child changes the parent in
    memory); its savepoint takes the article away again."""
    reseed()
    return newsroom_ressorts()
