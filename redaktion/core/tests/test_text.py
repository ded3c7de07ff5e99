import pytest

from redaktion.core.text import (
    WORDS_PER_MINUTE,
    count_words,
    plain_text,
    reading_minutes,
    teaser_cut,
)


def test_plain_text_separates_blocks_and_decodes_entities():
    html = (
        "<p>Ende&nbsp;des Satzes.</p><p>Anfang &amp; Schluss</p><ul><li>eins</li><li>zwei</li></ul>"
    )
    assert plain_text(html) == "Ende des Satzes. Anfang & Schluss eins zwei"


def test_count_words_counts_hyphenated_compounds_once():
    assert count_words("Die CO2-Abscheidung ist in Baden-Württemberg umstritten.") == 6


@pytest.mark.parametrize(
    ("words", "minutes"),
    [
        (0, 1),
        (1, 1),
        (WORDS_PER_MINUTE, 1),
        (int(WORDS_PER_MINUTE * 1.6), 2),
        (WORDS_PER_MINUTE * 4, 4),
    ],
)
def test_reading_minutes_rounds_and_is_at_least_one(words, minutes):
    assert reading_minutes(words) == minutes


def test_teaser_cut_keeps_short_text_whole():
    assert teaser_cut("  Kurzer   Text.  ") == "Kurzer Text."


def test_teaser_cut_ends_at_word_boundary_with_ellipsis():
    text = (
        "Auf den ersten Blick sieht die Zukunft des Marktes nicht rosig aus, angesichts der "
        "Abkehr von alten Gewohnheiten, wie sie viele Beobachter seit Jahren beschreiben "
        "und bedauern."
    )
    cut = teaser_cut(text, 150)
    assert cut.endswith("...")
    body = cut[:-3]
    assert len(body) <= 150
    assert text.startswith(body)
    assert text[len(body)] == " "  # cut before a space, never inside a word


def test_teaser_cut_drops_dangling_punctuation():
    assert teaser_cut("Erstens, zweitens, drittens und viertens", 18) == "Erstens, zweitens..."


def test_teaser_cut_cuts_a_single_overlong_word_hard():
    assert teaser_cut("Donaudampfschifffahrtsgesellschaft", 10) == "Donaudampf..."


def test_teaser_cut_after_a_full_stop_has_three_dots_not_four():
    assert (
        teaser_cut("Es wird spät sein. Danach kommt noch viel mehr Text.", 20)
        == "Es wird spät sein..."
    )
