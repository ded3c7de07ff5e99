"""The German matching rules and the ranking, on the database's own index (SQLite FTS5
here, PostgreSQL full text under DATABASE_URL). The articles are indexed through the search
service; that publishing indexes them is test_index's concern."""

import pytest

from redaktion.news.factories import TopicFactory
from redaktion.search import selectors
from redaktion.search.backends import base, postgres

from .helpers import article, indexed, titles

pytestmark = pytest.mark.django_db


def search(text, ressorts, **kwargs):
    return selectors.search(text=text, ressort_list=list(ressorts.values()), **kwargs)


@pytest.fixture
def politik(ressorts):
    return ressorts["Politik"]


# (title, body) of the articles, and the titles each query finds, in their order.
MATCHING = {
    "stemming_finds_inflected_forms": (
        [
            ("Aufschwung", "Die wirtschaftlichen Folgen sind groß."),
            ("Wetter", "Morgen regnet es im Norden."),
        ],
        {"Wirtschaft": ["Aufschwung"]},
    ),
    "umlauts_and_their_transliteration": (
        [
            ("Oktoberfest", "In München beginnt das Fest."),
            ("Hafen", "In Hamburg legt ein Schiff an."),
        ],
        {"Muenchen": ["Oktoberfest"], "münchen": ["Oktoberfest"]},
    ),
    "sharp_s_folding": (
        [("Baustelle", "Die Straße bleibt gesperrt.")],
        {"Strasse": ["Baustelle"]},
    ),
    "compound_finds_its_head_but_not_a_false_suffix": (
        [
            ("Börse", "Wirtschaftsnachrichten am Morgen."),
            ("Quellen", "Die Nachrichten des Tages."),
            ("Gericht", "Der Richter spricht ein Urteil."),
            ("Wirtschaft", "Die Wirtschaft wächst."),
        ],
        # Exact words first, then compounds that end in the word; "nach" is a stopword, so
        # "Nachricht" is no compound of "Richt".
        {"Nachrichten": ["Quellen", "Börse"], "Richter": ["Gericht"]},
    ),
    "compound_query_matches_its_parts": (
        [
            ("Landung", "Das Flugzeug mit 200 Passagieren landete sicher."),
            ("Bahn", "Der Zug hielt auf offener Strecke."),
        ],
        {"Passagierflugzeug": ["Landung"]},
    ),
    # "Hubschrauber" is in more articles than "hübsch" and "Raub" would make it as a
    # compound of them (Koehn and Knight's rule): it is a word of its own.
    "word_commoner_than_its_would_be_parts_is_not_split": (
        [
            ("Rettung", "Ein Hubschrauber brachte den Verletzten in die Klinik."),
            ("Überfall", "Nach dem Raub in der hübschen Altstadt ermittelt die Polizei."),
        ],
        {"Hubschrauber": ["Rettung"]},
    ),
    "another_form_of_the_word_is_found": (
        [("Flug", "Das Flugzeug ist sicher gelandet."), ("Wetter", "Morgen regnet es im Norden.")],
        {"landete": ["Flug"]},
    ),
}


@pytest.mark.parametrize(("texts", "found"), MATCHING.values(), ids=MATCHING.keys())
def test_german_matching(politik, ressorts, texts, found):
    indexed(politik, *texts)
    for query, expected in found.items():
        assert titles(search(query, ressorts)) == expected, query


def test_a_compound_query_is_split_when_its_parts_are_the_commoner_words(politik, ressorts):
    indexed(
        politik,
        ("Landung", "Das Flugzeug mit 200 Passagieren landete sicher."),
        ("Verspätung", "Das Flugzeug wartet, die Passagiere steigen später ein."),
        ("Flughafen", "Ein Passagierflugzeug rollt zur Startbahn."),
        ("Bahn", "Der Zug hielt auf offener Strecke."),
    )
    found = titles(search("Passagierflugzeug", ressorts))
    assert found[0] == "Flughafen"
    assert sorted(found[1:]) == ["Landung", "Verspätung"]


def test_quoted_phrase_needs_the_words_in_order(politik, ressorts):
    indexed(
        politik,
        ("Zinsen", "Die Europäische Zentralbank erhöht die Zinsen."),
        ("Gipfel", "Die Zentralbank lädt europäische Gäste ein."),
    )
    assert titles(search('"Europäische Zentralbank"', ressorts)) == ["Zinsen"]
    assert sorted(titles(search("Europäische Zentralbank", ressorts))) == ["Gipfel", "Zinsen"]


def test_every_word_must_match_when_a_page_has_them_all(politik, ressorts):
    indexed(
        politik,
        *[
            {"title": f"Brand {n}", "body": "Feuer in der Fabrik.", "days_ago": n + 1}
            for n in range(20)
        ],
        {"title": "Nur Feuer", "body": "Feuer im Wald.", "days_ago": 30},
    )
    results = search("Feuer Fabrik", ressorts)
    assert results.total == 20
    assert not results.any_word
    assert "Nur Feuer" not in titles(results)


def test_some_words_follow_when_fewer_than_a_page_has_all(politik, ressorts):
    indexed(
        politik,
        {"title": "Beide", "body": "Feuer in der Fabrik.", "days_ago": 5},
        {"title": "Eines", "body": "Feuer im Wald.", "days_ago": 1},
    )
    results = search("Feuer Fabrik", ressorts)
    assert results.any_word
    assert titles(results) == ["Beide", "Eines"]


def test_headline_over_lead_over_body_over_topics(politik, ressorts):
    text = "Ein Bericht über das Wetter am Abend."
    indexed(
        politik,
        {"title": "Topics", "topics": [TopicFactory(name="Vulkan")], "body": text},
        {"title": "Body", "body": f"{text} Der Vulkan raucht."},
        {"title": "Lead", "lead": f"Der Vulkan raucht. {text}", "body": text},
        {"title": "Der Vulkan raucht", "body": text},
    )
    assert titles(search("Vulkan", ressorts)) == ["Der Vulkan raucht", "Lead", "Body", "Topics"]


def old_and_new(politik, days_ago):
    """An old article that says "Vulkan" three times and a new one that says it once."""
    indexed(
        politik,
        {"title": "Alt", "body": "Vulkan Vulkan Vulkan bricht aus.", "days_ago": days_ago},
        {"title": "Neu", "body": "Der Vulkan bricht aus, sagen Forscher.", "days_ago": 1},
    )


def test_recency_boost_lifts_the_newer_article(politik, ressorts):
    old_and_new(politik, days_ago=2000)
    assert titles(search("Vulkan", ressorts, recency_weight=0.0))[0] == "Alt"
    assert titles(search("Vulkan", ressorts, recency_weight=1.0, half_life_days=30))[0] == "Neu"


def test_order_by_date(politik, ressorts):
    old_and_new(politik, days_ago=20)
    assert titles(search("Vulkan", ressorts, order="date")) == ["Neu", "Alt"]


def test_closeness_of_the_words_ranks_first(politik, ressorts):
    filler = " ".join(["Bericht"] * 12)
    indexed(
        politik,
        ("Weit", f"Erdbeben Erdbeben {filler} Haiti Haiti."),
        ("Nah", f"Ein Erdbeben erschüttert Haiti. {filler}"),
    )
    assert titles(search("Erdbeben Haiti", ressorts))[0] == "Nah"


def test_words_next_to_each_other_rank_before_words_nearby(politik, ressorts):
    indexed(
        politik,
        {"title": "Nahe", "body": "Die Stiftung prüft, sagt der Warentest.", "days_ago": 1},
        {"title": "Name", "body": "Die Stiftung Warentest prüft.", "days_ago": 30},
    )
    assert titles(search("Stiftung Warentest", ressorts)) == ["Name", "Nahe"]


def test_closeness_of_three_words_is_every_two_within_five(politik, ressorts):
    # Every two of the words within five words of each other (a0 b3 c6 a10) counts as
    # close on both databases, though no stretch of five words holds all three; the
    # farther article names them earlier, so only closeness puts "Paare" first.
    f = "Bericht"
    indexed(
        politik,
        (
            "Paare",
            " ".join([f] * 8 + ["Vulkan", f, f, "Island", f, f, "Asche", f, f, f])
            + " "
            + " ".join(["Vulkan"] + [f] * 3),
        ),
        ("Fern", " ".join(["Vulkan", *[f] * 6, "Island", *[f] * 6, "Asche", *[f] * 6, "Vulkan"])),
    )
    assert titles(search("Vulkan Island Asche", ressorts, recency_weight=0.0)) == [
        "Paare",
        "Fern",
    ]


def test_the_rare_word_outweighs_the_common_one(politik, ressorts):
    indexed(
        politik,
        *[
            {"title": f"Bericht {i}", "body": "Die Regierung berät.", "days_ago": 1 + i}
            for i in range(4)
        ],
        {"title": "Selten", "body": "Ein Feuerteufel wurde gefasst.", "days_ago": 40},
    )
    results = search("Regierung Feuerteufel", ressorts, recency_weight=0.0)
    assert results.any_word
    assert titles(results)[0] == "Selten"


def test_the_word_as_typed_outranks_a_rare_compound(politik, ressorts):
    indexed(
        politik,
        ("Komposita", "Die Wirtschaftsnachricht des Tages."),
        ("Wort", "Die Nachricht des Tages, eine lange Nachricht."),
        ("Wirtschaft", "Die Wirtschaft wächst im Tagesverlauf."),
    )
    assert titles(search("Nachricht", ressorts, recency_weight=0.0)) == ["Wort", "Komposita"]


def test_highlights_escape_first_then_mark(politik, ressorts):
    indexed(
        politik, {"title": "<b>Münchens</b> Straßen & Plätze", "lead": "In München <i>heute</i>."}
    )
    found = search("München Straße", ressorts).articles[0]
    assert found.highlighted_title == (
        "&lt;b&gt;<mark>Münchens</mark>&lt;/b&gt; <mark>Straßen</mark> &amp; Plätze"
    )
    assert found.highlighted_lead == "In <mark>München</mark> &lt;i&gt;heute&lt;/i&gt;."


def test_unpublished_and_drafts_are_not_found(politik, ressorts, run_tasks):
    with run_tasks():
        gone = article(politik, title="Vulkan weg", body="Vulkan.")
        article(politik, title="Vulkan da", body="Vulkan.")
    with run_tasks():
        gone.unpublish()
    assert titles(search("Vulkan", ressorts)) == ["Vulkan da"]


def test_words_at_the_top_of_the_body_rank_before_words_deep_in_it(politik, ressorts, monkeypatch):
    # The same words, as often, in texts of the same length: the second stage (first
    # positions) decides on both databases, and PostgreSQL's score reads only the top of
    # the text (postgres.RANK_BODY_TOKENS words of the body) as well.
    monkeypatch.setattr(postgres, "RANK_BODY_TOKENS", 5)
    filler = "Bericht Abend Wetter Regen Sonne Wolken Wind"
    indexed(
        politik,
        {"title": "Oben", "body": f"Vulkan auf Island. {filler}", "days_ago": 30},
        {"title": "Unten", "body": f"{filler} Vulkan auf Island.", "days_ago": 1},
    )
    assert titles(search("Vulkan Island", ressorts, recency_weight=0.0)) == ["Oben", "Unten"]


def test_the_second_stage_reorders_the_first_results_only(politik, ressorts, monkeypatch):
    # Beyond base.RERANK_DEPTH the order is the score's (here: equal, so newest first), and
    # every page is a slice of that one order.
    monkeypatch.setattr(base, "RERANK_DEPTH", 2)
    filler = "Bericht Abend Wetter Regen Sonne Wolken Wind"
    top, deep = f"Vulkan auf Island. {filler} {filler}", f"{filler} {filler} Vulkan auf Island."
    indexed(
        politik,
        *[
            {"title": title, "body": body, "days_ago": n}
            for n, (title, body) in enumerate(
                [("Ahorn", deep), ("Birke", top), ("Eiche", deep), ("Linde", top)], start=1
            )
        ],
    )
    found = titles(search("Vulkan Island", ressorts, recency_weight=0.0))
    assert found == ["Birke", "Ahorn", "Eiche", "Linde"]
    pages = [
        titles(search("Vulkan Island", ressorts, recency_weight=0.0, per_page=1, page_number=p))
        for p in (1, 2, 3, 4)
    ]
    assert [t for page in pages for t in page] == found


def test_pages_continue_the_order_of_one_long_page(politik, ressorts):
    # Every page must be the slice of the whole order.
    bodies = [
        "Erdbeben erschüttert Haiti.",
        "Ein Erdbeben, sagt man, erschüttert das ferne Haiti.",
        "Haiti: Erdbeben.",
        "Erdbeben in der Nacht. Bericht Abend Wetter Regen Sonne Wolken Wind. Haiti hilft.",
        "Erdbeben Erdbeben Erdbeben und Haiti.",
        "Die Erdbebenwarte meldet ein Erdbeben auf Haiti.",
        "Haiti Haiti Haiti nach dem Erdbeben.",
        "Nach dem Erdbeben auf Haiti beginnt der Wiederaufbau auf Haiti.",
    ]
    indexed(
        politik,
        *[
            {"title": f"Bericht {n}", "body": body, "days_ago": 1 + 17 * n}
            for n, body in enumerate(bodies)
        ],
    )
    whole = titles(search("Erdbeben Haiti", ressorts, recency_weight=0.2, per_page=20))
    pages = [
        titles(search("Erdbeben Haiti", ressorts, recency_weight=0.2, per_page=3, page_number=p))
        for p in (1, 2, 3)
    ]
    assert len(whole) == len(bodies)
    assert [t for page in pages for t in page] == whole


# Articles about other things: a word in every article of a corpus says nothing about any
# of them (BM25 gives it no weight), as in a real archive the query's words are rare.
OTHER_NEWS = [
    ("Wetter", "Morgen regnet es im Norden, im Süden scheint die Sonne."),
    ("Fußball", "Der Verein gewinnt das Derby mit zwei Toren."),
    ("Theater", "Die Premiere im Stadttheater war ausverkauft."),
    ("Bahn", "Der Zug hielt auf offener Strecke."),
]


def test_haushalt_ranks_the_budget_stories_above_a_household_story(politik, ressorts):
    indexed(
        politik,
        *OTHER_NEWS,
        {
            "title": "Strompreise steigen",
            "lead": "Viele Haushalte zahlen im Winter mehr für Strom.",
            "body": "Ein Haushalt mit vier Personen zahlt 200 Euro mehr.",
            "days_ago": 1,
        },
        {
            "title": "Bundeshaushalt: Schulden steigen",
            "lead": "Der Bundestag berät den Bundeshaushalt für das kommende Jahr.",
            "body": "Im Haushalt fehlen dem Bund zwölf Milliarden Euro. Der Haushaltsentwurf "
            "des Finanzministers sieht neue Schulden vor.",
            "days_ago": 10,
        },
        {
            "title": "Landeshaushalt beschlossen",
            "lead": "Der Landtag hat den Landeshaushalt verabschiedet.",
            "body": "Der Haushalt des Landes wächst um drei Prozent, der Landeshaushalt "
            "bleibt ohne neue Schulden.",
            "days_ago": 20,
        },
    )
    found = titles(search("Haushalt", ressorts))
    assert found[-1] == "Strompreise steigen"
    assert sorted(found[:2]) == ["Bundeshaushalt: Schulden steigen", "Landeshaushalt beschlossen"]


def test_a_compound_only_match_outranks_an_incidental_exact_match(politik, ressorts):
    holiday = (
        "An der Nordsee sind die Strände voll. Die Urlauber kommen aus dem ganzen Land, die "
        "Hotels sind ausgebucht, und die Fähren zu den Inseln fahren im Takt. Wer verreist, "
        "bittet die Nachbarn, nach dem Haushalt zu sehen. Am Abend ziehen Gewitter auf."
    )
    indexed(
        politik,
        *OTHER_NEWS,
        {"title": "Ferien an der Nordsee", "lead": "Urlauber an der Küste.", "body": holiday},
        {
            "title": "Bundeshaushalt beschlossen",
            "lead": "Der Bundestag hat den Bundeshaushalt verabschiedet.",
            "body": "Der Bund kommt ohne neue Schulden aus.",
            "days_ago": 30,
        },
    )
    assert titles(search("Haushalt", ressorts)) == [
        "Bundeshaushalt beschlossen",
        "Ferien an der Nordsee",
    ]
