"""In a real Chromium: the results page logs its query and number of results, and a click
on a result logs its rank, without a cookie (the page itself is cached and cannot log).

The site runs on pytest-django's ``live_server`` in this process; the server thread shares
the test's in-memory SQLite connection, so the test reads the log only once the browser has
left the page."""

import time

import pytest
from django.urls import reverse

from chromium import scripts_ran
from redaktion.news.factories import RessortPageFactory
from redaktion.news.models import HomePage
from redaktion.news.tests.newsroom import build_brand
from redaktion.news.tests.test_browser import ensure_site_tree
from redaktion.search.models import QueryLogEntry
from redaktion.search.services import search_rebuild

from .helpers import article

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def articles(db):
    ensure_site_tree()
    build_brand()
    ressort = RessortPageFactory(parent=HomePage.objects.get(depth=2), title="Politik")
    pages = [
        article(ressort, title="Vulkan bricht aus", body="Der Vulkan bricht aus.", days_ago=1),
        article(ressort, title="Vulkan ruht", body="Der Vulkan ruht.", days_ago=2),
    ]
    search_rebuild()
    return pages


def test_the_query_and_the_clicked_rank_are_logged(articles, live_server, reader):
    log = reverse("search:query_log")
    answered = []

    def finished(request):
        if request.url.endswith(log):
            answered.append(request.url)

    reader.context.on("requestfinished", finished)
    reader.goto(live_server.url + "/suche/?q=Vulkan")
    scripts_ran(reader)
    second = reader.locator(".search-results .teaser-list > li").nth(1).locator("a[href]").first
    with reader.expect_navigation():
        second.click()
    # The beacons are sent in the background: wait until the server has answered both, or
    # a second (the click's beacon, sent as the page leaves, is still sent when Chromium
    # reports it as aborted, and then its answer is not seen).
    deadline = time.monotonic() + 1
    while len(answered) < 2 and time.monotonic() < deadline:
        reader.wait_for_timeout(50)
    reader.goto("about:blank")
    logged = list(
        QueryLogEntry.objects.order_by("pk").values_list("text", "results", "clicked_rank")
    )
    assert logged == [("vulkan", 2, None), ("vulkan", 2, 2)]
    assert not reader.context.cookies()
