"""The analysis itself, without a database: the same text gives the same tokens on both
sides of the index."""

from redaktion.search import analysis


def test_tokens_fold_umlauts_sharp_s_and_case():
    assert analysis.tokens("München Muenchen MÜNCHEN") == ["munch"] * 3
    assert analysis.tokens("Straße Strasse") == ["strass", "strass"]


def test_tokens_stem_inflections_and_drop_stopwords():
    assert analysis.tokens("Die wirtschaftlichen Folgen der Wirtschaft") == [
        "wirtschaft",
        "folg",
        "wirtschaft",
    ]


def test_numbers_stay_and_hyphens_separate():
    assert analysis.tokens("SPD-Krise 2024 G20") == ["spd", "kris", "2024", "g20"]


def test_runs_of_letters_too_long_for_a_word_are_left_out():
    code = "x" * (analysis.MAX_WORD_LENGTH + 1)
    assert analysis.tokens(f"Der Code {code} gilt") == ["cod", "gilt"]
    assert analysis.tokens("Donaudampfschifffahrtsgesellschaftskapitän") == [
        "donaudampfschifffahrtsgesellschaftskapitan"
    ]


def test_parse_separates_phrases_from_words():
    query = analysis.parse('Bank "Europäische Zentralbank" Zinsen')
    assert query.phrases == [["europa", "zentralbank"]]
    assert query.words == ["bank", "zins"]


def test_parse_unclosed_quote_and_one_word_phrase():
    query = analysis.parse('"Haiti Erdbeben')
    assert query.phrases == [["haiti", "erdbeb"]]
    assert analysis.parse('"Haiti"').words == ["haiti"]


def test_parse_of_stopwords_only_is_empty():
    assert not analysis.parse("der die das und")


def test_split_points_need_a_first_part_of_four_letters():
    points = analysis.split_points("passagierflugzeug")
    assert (["passagier", "passagi"], "flugzeug") in points
    assert not any(head == "sucht" for _, head in analysis.split_points("versucht"))


def test_genitive_s_after_a_vowel():
    assert analysis.inflection_variants("uganda") == ["ugandas"]
    assert analysis.inflection_variants("obamas") == ["obama"]
    assert analysis.inflection_variants("merkel") == []


def test_form_variants_add_endings_the_stemmer_keeps_and_the_participle():
    variants = analysis.form_variants("land")
    assert "gelandet" in variants
    assert "italien" in analysis.form_variants("itali")
    assert "serbisch" in analysis.form_variants("serbi")
    assert "verhang" in analysis.form_variants("verhangt")
    assert analysis.form_variants("tot") == []
    assert analysis.form_variants("2024") == []
