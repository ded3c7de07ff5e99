"""The demo's story files and the rules around loading them (no database for most)."""

import re
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from redaktion.demo import corpus
from redaktion.demo.corpus import CorpusError, InfoBox, Paragraph, Quote, Subheading
from redaktion.demo.masthead import AUTHORS, LEAD_STORY, RESSORTS, TOPICS
from redaktion.demo.services import publication_time
from redaktion.news.factories import RessortPageFactory
from redaktion.news.models import ArticlePage, RessortPage

BERLIN = ZoneInfo("Europe/Berlin")
STORIES = corpus.stories()


def test_enough_stories_in_every_ressort():
    assert len(STORIES) >= 80
    for ressort in RESSORTS:
        assert sum(story.ressort == ressort.slug for story in STORIES) >= 8, ressort.slug


def test_references_resolve():
    topics = {topic.slug for topic in TOPICS}
    authors = {author.slug for author in AUTHORS}
    by_slug = {story.slug: story for story in STORIES}

    assert LEAD_STORY in by_slug
    for story in STORIES:
        assert set(story.topics) <= topics, story.slug
        assert set(story.authors) <= authors, story.slug
        for slug in story.related:
            # Picks point to older stories, so they exist when the story is created.
            assert by_slug[slug].days_ago >= max(story.days_ago, 1) + 1, (story.slug, slug)


def test_every_topic_and_author_is_used():
    assert {t for story in STORIES for t in story.topics} == {topic.slug for topic in TOPICS}
    assert {a for story in STORIES for a in story.authors} == {a.slug for a in AUTHORS}


def test_story_shape():
    for story in STORIES:
        paragraphs = sum(isinstance(element, Paragraph) for element in story.body)
        assert 1 <= len(story.topics) <= 4, story.slug
        assert 1 <= len(story.authors) <= 2, story.slug
        assert 4 <= paragraphs <= 14, story.slug
        assert 2 <= len(re.findall(r"[.!?](?:\s|$)", story.lead)) <= 4, story.slug
        assert story.caption and story.credit, story.slug
        assert len(story.kicker) <= 80 and len(story.caption) <= 300, story.slug
        assert re.fullmatch(r"[a-z0-9-]+", story.slug), story.slug
        if story.correction_note:
            assert story.correction_note.startswith("Korrektur: In einer früheren Fassung")
            assert story.correction_hours > 0 and story.days_ago >= 1, story.slug


def test_slugs_and_headlines_are_unique():
    assert len({story.slug for story in STORIES}) == len(STORIES)
    assert len({story.headline for story in STORIES}) == len(STORIES)


def test_stream_values():
    story = next(s for s in STORIES if any(isinstance(e, InfoBox) for e in s.body))
    kinds = {kind for kind, _ in story.stream()}
    quote = next(e for s in STORIES for e in s.body if isinstance(e, Quote))
    box = next(kind_value for kind_value in story.stream() if kind_value[0] == "infobox")[1]

    assert {"paragraph", "infobox"} <= kinds
    assert quote.text and not quote.text.startswith(">")
    assert box["body"].source.startswith(("<ul><li>", "<p>"))


def test_parser_reports_where_a_story_is_wrong(tmp_path, monkeypatch):
    story_file = Path(tmp_path / "politik.txt")
    story_file.write_text("=== kaputt\nkicker: Test\nheadline: Ohne Rest\n\nText.\n")
    monkeypatch.setattr(corpus, "STORY_DIR", tmp_path)
    (tmp_path / corpus.BACKGROUND_FILE).write_text("")
    corpus.backgrounds.cache_clear()
    try:
        with pytest.raises(CorpusError, match=r"politik\.txt:1: missing"):
            corpus._story("politik", "kaputt", 1, corpus._chunks(story_file)[0][2], story_file)
    finally:
        corpus.backgrounds.cache_clear()


def test_parser_elements(tmp_path):
    lines = [
        (1, "## Zwischentitel"),
        (2, ""),
        (3, "> Ein Zitat."),
        (4, "— Eine Sprecherin"),
        (5, ""),
        (6, "[Info: Kasten]"),
        (7, "- eins"),
        (8, "- zwei"),
        (9, ""),
        (10, "Ein Absatz."),
    ]

    elements = corpus._elements(corpus._paragraphs(lines), "test.txt", {})

    assert elements == (
        Subheading("Zwischentitel"),
        Quote("Ein Zitat.", "Eine Sprecherin"),
        InfoBox("Kasten", ("eins", "zwei"), True),
        Paragraph("Ein Absatz."),
    )


def test_publication_time_is_stable_and_in_the_past():
    story = next(s for s in STORIES if s.days_ago == 0)
    early = datetime(2024, 6, 3, 6, 0, tzinfo=BERLIN)
    late = datetime(2024, 6, 3, 23, 0, tzinfo=BERLIN)

    assert publication_time(story, now=late) == publication_time(story, now=late)
    assert publication_time(story, now=late).date() == late.date()
    moved = publication_time(story, now=early)
    assert moved < early
    assert early - moved < timedelta(hours=48)
    for s in STORIES:
        moment = publication_time(s, now=early).astimezone(BERLIN)
        assert 7 <= moment.hour < 19
        assert moment < early


@pytest.mark.django_db
def test_refuses_a_site_with_its_own_ressorts(home_page):
    RessortPageFactory(parent=home_page, title="Lokales", slug="lokales")

    with translation.override("en"), pytest.raises(CommandError, match="already has Ressorts"):
        call_command("redaktion_demo", "--quiet", stdout=StringIO())

    assert RessortPage.objects.count() == 1
    assert not ArticlePage.objects.exists()
