"""What the read-count tests share: a fresh in-process batch for every test (the embedded
default keeps it in memory, and one test's counts must not reach the next) and an article
to count, made without the publish pipeline."""

import pytest

from redaktion.analytics import counting
from redaktion.news.factories import ArticlePageFactory


@pytest.fixture(autouse=True)
def _fresh_store(monkeypatch):
    monkeypatch.setattr(counting, "_memory_store", counting.MemoryStore())


@pytest.fixture
def article(db):
    return ArticlePageFactory(publish=False)
