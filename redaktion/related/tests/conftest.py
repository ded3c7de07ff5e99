import pytest

from .helpers import newsroom


@pytest.fixture
def articles(home_page, run_tasks):
    """The test corpus published one article after the other through the real signals."""
    with run_tasks():
        return newsroom(home_page)
