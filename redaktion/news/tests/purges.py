"""The page cache's view of the reader site: the keys a response names, and which pages a
purge makes render again. Shared by the surrogate-key tests."""

from datetime import timedelta

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone


def keys_of(response) -> set[str]:
    assert response.status_code == 200
    header = response.headers["Surrogate-Key"]
    assert header == " ".join(sorted(header.split())), "keys are sorted and space separated"
    return set(header.split())


WARM = (
    "/",
    "/politik/",
    "/finanzen/",
    "/technologie/",
    "/thema/syrien/",
    "/thema/nato/",
    "/autor/anna-berger/",
    "/autor/jonas-keller/",
    "/archiv/2015/10/",
    "/impressum/",
    "/feeds/rss.xml",
    "/feeds/ressort/politik/rss.xml",
    "/sitemap-news.xml",
)


def warm(client, room) -> dict[str, bytes]:
    urls = [*WARM, *(room[name].url for name in ("article", "pick", "older", "newer"))]
    return {url: client.get(url).content for url in urls}


def rerendered(client, urls) -> set[str]:
    """The URLs that cost queries, i.e. did not come from the page cache. Asked two
    seconds on: a page rendered right after a purge of one of its keys is not stored
    (``surrogate.PURGE_MARGIN_NS``)."""
    result = set()
    with time_machine.travel(timezone.now() + timedelta(seconds=2), tick=False):
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, url
            if queries.captured_queries:
                result.add(url)
    return result
