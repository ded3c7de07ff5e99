import csv

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from .corpus import labelled


def write_csv(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";", quotechar="'").writerows(rows)
    return path


def test_eval_prints_engine_and_baseline(tmp_path, capsys):
    path = write_csv(tmp_path / "news.csv", labelled())
    with translation.override("en"):  # the labels are translated; read the English ones
        call_command("redaktion_related", "eval", str(path), "--k", "3")
    out = capsys.readouterr().out
    lines = {line.split("(")[0].strip(): line for line in out.splitlines()[1:]}
    assert set(lines) == {"engine", "baseline"}
    engine_precision = float(lines["engine"].split()[-4])
    assert engine_precision == pytest.approx(1.0)
    assert "precision@3" in out.splitlines()[0]


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
