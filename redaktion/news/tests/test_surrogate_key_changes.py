"""A new name for an author or a topic, or a deleted topic, reaches exactly the pages that
show it: tests that change the newsroom, so each has its own (``test_surrogate_keys.py``
shares one)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from redaktion.news import keys

from .purges import keys_of, rerendered, warm

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(newsroom, ressorts):
    return {**newsroom, "ressorts": ressorts}


def showing(client, urls, *wanted: str) -> set[str]:
    """The URLs whose response carries one of the ``wanted`` keys (from the page cache)."""
    return {url for url in urls if keys_of(client.get(url)) & set(wanted)}


def settled_and_warm(client, room, run_tasks) -> dict[str, bytes]:
    """``warm``, once the newsroom's own publications have run their steps (their purges
    would otherwise empty the cache after it was filled), and two seconds on: a page
    rendered right after a purge is not stored (``surrogate.PURGE_MARGIN_NS``)."""
    with run_tasks():
        pass
    with time_machine.travel(timezone.now() + timedelta(seconds=2), tick=False):
        pages = warm(client, room)
    assert rerendered(client, pages) == set()  # every page is stored
    return pages


def test_an_authors_new_name_reaches_the_pages_that_name_them(client, room, run_tasks):
    anna, _jonas = room["authors"]
    article = room["article"]
    pages = settled_and_warm(client, room, run_tasks)
    naming = showing(client, pages, keys.article(article.pk), keys.author(anna.pk))
    with run_tasks():
        anna.name = "Anna Berger-Lang"
        anna.save()
    assert rerendered(client, pages) == naming
    assert {article.url, "/autor/anna-berger/"} <= naming and "/impressum/" not in naming
    assert "Anna Berger-Lang" in client.get(article.url).content.decode()


def test_a_topics_new_name_reaches_its_page_and_its_articles(client, room, run_tasks):
    syrien, _nato = room["topics"]
    article = room["article"]
    pages = settled_and_warm(client, room, run_tasks)
    naming = showing(client, pages, keys.article(article.pk), keys.topic(syrien.pk))
    with run_tasks():
        syrien.name = "Syrien-Krieg"
        syrien.save()
    assert rerendered(client, pages) == naming
    assert {article.url, "/thema/syrien/"} <= naming and "/thema/nato/" in naming
    assert "/finanzen/" not in naming
    assert "Syrien-Krieg" in client.get(article.url).content.decode()


def test_saving_an_author_or_topic_unchanged_purges_nothing(
    client, room, run_tasks, django_capture_on_commit_callbacks
):
    from redaktion.core.models import OutboxEntry

    pages = settled_and_warm(client, room, run_tasks)
    before = OutboxEntry.objects.count()
    with run_tasks() as callbacks:
        room["authors"][0].save()
        room["topics"][0].save()
    assert not callbacks
    assert OutboxEntry.objects.count() == before
    assert rerendered(client, pages) == set()


def test_a_deleted_topic_leaves_its_articles(client, room, run_tasks):
    _syrien, nato = room["topics"]
    pages = settled_and_warm(client, room, run_tasks)
    with run_tasks():
        nato.delete()
    assert client.get("/thema/nato/").status_code == 404  # not its stored page
    # Its articles show it in their topic row.
    remaining = [url for url in pages if url != "/thema/nato/"]
    assert rerendered(client, remaining) >= {room["article"].url, room["older"].url}
    assert ">Nato</a>" not in client.get(room["article"].url).content.decode()
