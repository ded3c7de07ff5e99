"""Article events: which event leads from one state to the next, and what it purges."""

from dataclasses import replace
from datetime import UTC, datetime

from redaktion.news.events import ArticleEvent, ArticleFacts, EventKind

FACTS = ArticleFacts(
    title="Gipfel in Brüssel",
    url_path="/startseite/politik/gipfel/",
    ressort_id=3,
    topic_ids=(7, 8),
    author_ids=(11,),
    first_published_at=datetime(2025, 12, 31, 23, 30, tzinfo=UTC),  # 01.01.2026 in Berlin
    updated_at=None,
    revision_id=40,
)


def test_the_event_follows_from_the_states():
    assert ArticleEvent.between(1, None, None) is None
    assert ArticleEvent.between(1, FACTS, FACTS) is None
    assert ArticleEvent.between(1, None, FACTS).kind == EventKind.VISIBLE
    assert ArticleEvent.between(1, FACTS, None).kind == EventKind.HIDDEN
    edited = replace(FACTS, title="Gipfel vertagt", revision_id=41)
    event = ArticleEvent.between(1, FACTS, edited)
    assert event.kind == EventKind.CHANGED
    assert event.changes == {"title", "revision_id"}


def test_joining_the_published_set_purges_every_list_it_is_on():
    assert ArticleEvent.between(1, None, FACTS).purge_keys() == {
        "article-1",
        "page-1",
        "home",
        "river",
        "feeds",
        "sitemap",
        "search",
        "ressort-3",
        "topic-7",
        "topic-8",
        "author-11",
        "archive-2026-01",
    }
    assert ArticleEvent.between(1, FACTS, None).purge_keys() == (
        ArticleEvent.between(1, None, FACTS).purge_keys()
    )


def test_an_edit_purges_the_article_and_only_the_lists_it_joined_or_left():
    # A correction of the body: only where the article itself shows.
    body = ArticleEvent.between(1, FACTS, replace(FACTS, revision_id=41))
    assert body.purge_keys() == {"article-1", "page-1"}
    # A new headline also shows in the news sitemap and the search suggestions, which list
    # articles without naming each one's key.
    headline = ArticleEvent.between(1, FACTS, replace(FACTS, title="Neu", revision_id=41))
    assert headline.purge_keys() == {"article-1", "page-1", "sitemap", "search"}

    moved = replace(FACTS, ressort_id=4, topic_ids=(8, 9), url_path="/startseite/wirtschaft/g/")
    assert ArticleEvent.between(1, FACTS, moved).purge_keys() == {
        "article-1",
        "page-1",
        "sitemap",
        "search",
        "ressort-3",
        "ressort-4",
        "topic-7",
        "topic-9",
    }

    backdated = replace(FACTS, first_published_at=datetime(2025, 11, 2, 8, tzinfo=UTC))
    assert {"home", "river", "archive-2025-11", "archive-2026-01", "topic-7"} <= (
        ArticleEvent.between(1, FACTS, backdated).purge_keys()
    )


def test_events_survive_the_trip_through_json():
    for event in (
        ArticleEvent.between(5, None, FACTS),
        ArticleEvent.between(5, FACTS, replace(FACTS, updated_at=FACTS.first_published_at)),
        ArticleEvent.between(5, FACTS, None),
    ):
        assert ArticleEvent.from_json(event.as_json()) == event
