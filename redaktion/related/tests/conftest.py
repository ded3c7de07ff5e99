import pytest

from .helpers import newsroom


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Runs what signal receivers enqueue on commit (the test backend runs tasks at once)."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def articles(home_page, run_tasks):
    """The test corpus published one article after the other through the real signals."""
    with run_tasks():
        return newsroom(home_page)
