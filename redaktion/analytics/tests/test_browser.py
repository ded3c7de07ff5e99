"""In a real Chromium: a read is counted once, after the article was on screen for the set
time, without a cookie; a reader who leaves before that is not counted.

The site runs on pytest-django's ``live_server`` in this process, with the in-process store,
which the test reads while the browser runs and writes to the database afterwards (the
server thread shares the test's in-memory SQLite connection: nothing may write while the
test reads). The page's clock is Playwright's, paused: the test moves it on instead of
waiting for the article's visible time.
"""

import time

import pytest

from chromium import pause_clock
from redaktion.analytics import counting
from redaktion.analytics.models import ArticleReadHour
from redaktion.analytics.services import reads_flush
from redaktion.news.factories import ArticlePageFactory, RessortPageFactory
from redaktion.news.models import HomePage
from redaktion.news.tests.newsroom import build_brand
from redaktion.news.tests.test_browser import ensure_site_tree

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def articles(db, settings, monkeypatch):
    settings.READS_VISIBLE_SECONDS = 1
    settings.READS_FLUSH_SECONDS = 3600
    monkeypatch.setattr(counting, "_memory_store", counting.MemoryStore())
    ensure_site_tree()
    build_brand()
    # Live pages without the publish pipeline: these tests are about counting reads.
    ressort = RessortPageFactory(
        parent=HomePage.objects.get(depth=2), title="Politik", publish=False
    )
    return [
        ArticlePageFactory(parent=ressort, title=f"Meldung {n}", publish=False) for n in range(2)
    ]


def pending() -> int:
    """Views counted in the store and not yet written."""
    counts = counting._memory_store._pending
    return sum(n for field, n in counts.items() if field.startswith("v:"))


def views(article) -> int:
    return sum(ArticleReadHour.objects.filter(article=article).values_list("views", flat=True))


def test_a_read_counts_once_after_the_article_was_visible(articles, live_server, reader):
    read, left = articles
    pause_clock(reader)  # the page's time moves only when the test moves it
    reader.goto(live_server.url + left.url)
    reader.goto(live_server.url + "/")  # left after less than a second: not a read
    reader.goto(live_server.url + read.url)
    deadline = time.monotonic() + 15
    while pending() == 0 and time.monotonic() < deadline:
        reader.clock.run_for(100)
    reader.clock.run_for(2000)  # the page stays open: still one read
    reader.wait_for_timeout(300)  # real time for a beacon under way to arrive
    assert pending() == 1
    reader.goto("about:blank")
    reads_flush()
    assert (views(read), views(left)) == (1, 0)
    assert not reader.context.cookies()
