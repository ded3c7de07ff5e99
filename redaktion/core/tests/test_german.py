from redaktion.core import german as text


def test_stemming_joins_inflected_and_derived_forms():
    assert text.stems("Wirtschaft") == text.stems("wirtschaftlichen") == ["wirtschaft"]
    assert text.stems("Häuser") == text.stems("Hauser")


def test_stopwords_numbers_and_weekdays_are_dropped():
    assert text.words("Die Regierung hat am Montag 2015 und der Kanzler, das ist so") == [
        "regierung",
        "kanzler",
    ]


def test_eszett_and_hyphenated_compounds():
    assert text.words("Straße GPA-djp-Chef") == ["strasse", "gpa", "djp", "chef"]


def test_compounds_share_character_ngrams_with_their_parts():
    _, compound = text.analyse("Gewerkschaftsbund")
    _, part = text.analyse("Gewerkschaft")
    assert {"~#gew", "~werk", "~haft"} <= set(compound) & set(part)
    assert "~#gew" not in text.analyse("Bund")[1]
