import pytest

from redaktion.news.tests.factories import RessortPageFactory, reseed


@pytest.fixture(autouse=True)
def _seed():
    reseed()


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Runs what signal receivers enqueue on commit (the test backend runs tasks at once)."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def ressorts(home_page):
    return {
        name: RessortPageFactory(parent=home_page, title=name, slug=name.lower())
        for name in ("Politik", "Wirtschaft", "Sport")
    }
