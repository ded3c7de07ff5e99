"""Names as German text marks them: capitalised words inside a sentence that the corpus's
case statistics do not show to be common words."""

from redaktion.related.engine.names import (
    CaseCounts,
    case_counts,
    common_words,
    is_compound_of,
    names,
    tails,
)

CORPUS = [
    "Die Regierung in Wien plant eine Reform. Kanzler Werner Faymann verteidigt die "
    "Reform gegen die Kritik der Opposition.",
    "Die Bundesregierung streitet über die Steuerreform. Werner Faymann und die "
    "Deutsche Bank sprechen über die Zukunft der Reform.",
    "In Wien demonstrieren tausende gegen die Regierung. Die deutsche Wirtschaft und "
    "die Deutsche Bank warnen vor der Reform.",
]


def corpus_names():
    counts = [case_counts(text) for text in CORPUS]
    total = CaseCounts()
    for each in counts:
        total.add(each)
    common = common_words(total)
    return common, [names(each.runs, common) for each in counts]


def test_sentence_starts_are_never_read():
    counts = case_counts("Kanzler Faymann spricht. Wien wartet.")
    assert counts.runs == ["faymann"]
    assert "kanzler" not in counts.capitalised and "wien" not in counts.capitalised


def test_common_nouns_are_learned_from_case_statistics():
    common, _ = corpus_names()
    assert "regierung" in common  # after "die", ends in -ung, tail of "Bundesregierung"
    assert "reform" in common  # after "eine"/"die"
    assert "opposition" in common  # after "der"
    assert common["deutsche"] is True  # also written in lower case: an adjective
    assert common["reform"] is False
    for name in ("wien", "werner", "faymann"):
        assert name not in common


def test_names_are_single_words_and_runs_that_hold_a_name_or_an_adjective():
    _, found = corpus_names()
    assert "werner faymann" in found[0] and "faymann" in found[0] and "wien" in found[0]
    # "Deutsche Bank": a capitalised adjective inside a sentence marks the run as a name.
    assert "deutsche bank" in found[1] and "deutsche bank" in found[2]
    # A run of common nouns ("Kanzler Werner Faymann" holds names, "die Reform" does not).
    assert not any("reform" in name.split() for name in found[0] + found[1] + found[2])
    assert found[0][0] in {"faymann", "werner", "wien"}  # most frequent first


def test_compounds_of_common_words_are_common_too():
    common = {"reform": False, "chef": False}
    assert is_compound_of("steuerreform", common)
    assert is_compound_of("gpa-djp-chef", common)
    assert not is_compound_of("faymann", common)
    assert {"steuerreform", "reform", "gpa-djp-chef", "chef"} <= tails(
        ["steuerreform", "gpa-djp-chef"]
    )
