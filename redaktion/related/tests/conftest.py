import pytest
from django.test import TestCase

from redaktion.news.models import ArticlePage, HomePage

from .helpers import newsroom


@pytest.fixture(scope="module")
def corpus(module_db):
    """The test corpus published one article after the other through the real signals and
    tasks, once for the module (``module_db``): ``{label: [article id, …]}``, oldest first."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        built = newsroom(HomePage.objects.get(depth=2))
    return {label: [page.pk for page in pages] for label, pages in built.items()}


@pytest.fixture
def articles(corpus, db):
    """The module's corpus, ``{label: [ArticlePage, …]}``, read afresh for each test, so a
    test may change its pages (its writes are rolled back after it)."""
    pages = ArticlePage.objects.in_bulk([pk for pks in corpus.values() for pk in pks])
    return {label: [pages[pk] for pk in pks] for label, pks in corpus.items()}
