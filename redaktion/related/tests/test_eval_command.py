import csv

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from redaktion.related import evaluation

from .corpus import labelled


def write_csv(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";", quotechar="'").writerows(rows)
    return path


def test_eval_reports_both_parts_with_intervals_baselines_and_ablations(tmp_path, capsys):
    """The twelve texts split 7/5 by their hashes (tuning: three Wirtschaft, three Fußball,
    one Klima; check: one, one, three). Each part is ranked on its own, so a perfect engine
    scores precision@2 of 6/7 on the tuning part (the Klima article has no partner there;
    one of the 14 neighbours may miss) and 3/5 on the check part."""
    path = write_csv(tmp_path / "news.csv", labelled())
    with translation.override("en"):  # the labels are translated; read the English ones
        call_command("redaktion_related", "eval", str(path), "--k", "2")
    out = capsys.readouterr().out
    blocks = out.split("\n\n")
    assert blocks[0].startswith("Chosen on the tuning part")
    assert "LSA dimension" in blocks[0]
    assert blocks[1].startswith("tuning part: 7 articles")
    assert blocks[2].startswith("check part: 5 articles")
    for block, perfect, missed in ((blocks[1], 6 / 7, 1 / 14), (blocks[2], 3 / 5, 0)):
        lines = {
            line.strip().split("  ")[0].split(" (")[0]: line for line in block.splitlines()[2:]
        }
        assert {
            "engine",
            "without shared names",
            "without neighbourhood profiles",
            "stemmed TF-IDF",
            "LSA",
            "baseline",
            "engine - LSA",
            "engine - stemmed TF-IDF",
        } <= set(lines)
        figures = lines["engine"].split(")", 1)[1].split()[:3]
        mean, low, high = (float(figure.strip("[],")) for figure in figures)
        assert perfect - missed - 1e-4 <= mean <= perfect + 1e-4
        assert low <= mean <= high
        assert "precision@2 [95 %]" in block.splitlines()[1]
        assert "not in this file" in block


def test_every_choice_is_made_on_the_tuning_part(tmp_path, monkeypatch):
    """The check part's labels never reach a choice: scrambling them changes no choice and
    no tuning figure."""
    path = write_csv(tmp_path / "news.csv", labelled())
    report = evaluation.evaluate(path, k=2)
    rows = labelled()
    scrambled = [
        (
            "other"
            if evaluation.evaluation.part_of(evaluation.text_id(text)) == "check"
            else label,
            text,
        )
        for label, text in rows
    ]
    other = evaluation.evaluate(write_csv(tmp_path / "scrambled.csv", scrambled), k=2)
    assert (other.lsa_dimension, other.name_share) == (report.lsa_dimension, report.name_share)
    assert other.lsa_grid == report.lsa_grid and other.name_grid == report.name_grid
    assert other.parts[0].scores["engine"].precision == report.parts[0].scores["engine"].precision
    assert other.parts[1].scores["engine"].precision != report.parts[1].scores["engine"].precision


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Sport;'Tor'\nSport\n", "line 2: expected 2 fields"),
        ("Sport;'Tor'\n;'Tor'\n", "line 2: the label is empty"),
        ("Sport;'Tor'\nSport;''\n", "line 2: the text is empty"),
        ("Sport;'Tor\n", "line 1: unexpected end of data"),
        ("Sport;'Tor'\n", "1 article(s); at least 6"),
    ],
)
def test_eval_explains_a_malformed_file(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("redaktion_related", "eval", str(path))


def test_eval_explains_a_missing_or_binary_file(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("redaktion_related", "eval", str(tmp_path / "missing.csv"))
    path = tmp_path / "latin1.csv"
    path.write_bytes("Sport;'Übertragung'\n".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("redaktion_related", "eval", str(path))
