import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from redaktion.search.evaluation import query_words

pytestmark = pytest.mark.django_db
WIKINEWS = Path(__file__).resolve().parents[4] / "shared" / "data" / "wikinews-de.jsonl"

ARTICLES = [
    ("Straße gesperrt in Köln", "2020-01-12", "Die Strasse in Köln bleibt gesperrt."),
    ("Haiti wählt ein Parlament", "2021-03-01", "Haiti wählt heute. Die Wahl verlief ruhig."),
    ("Vulkan auf Island", "2022-05-05", "Auf Island bricht ein Vulkan aus. Asche steigt auf."),
    ("Die Zinsen der Zentralbank", "2019-09-09", "Die Europäische Zentralbank senkt die Zinsen."),
]


def write(tmp_path, rows):
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


def test_query_is_the_first_two_words_that_are_not_stopwords():
    assert query_words("Die Zinsen der Zentralbank steigen") == ["Zinsen", "Zentralbank"]


def lines_of(out, part):
    """The lines of one part's table (from its heading to the next blank line)."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(part))
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    return lines[start:end]


def test_eval_prints_both_parts_with_intervals_and_the_baselines(tmp_path, capsys):
    path = write(
        tmp_path,
        [{"id": n, "title": t, "date": d, "body": b} for n, (t, d, b) in enumerate(ARTICLES)],
    )
    call_command("redaktion_search", "eval", str(path))
    out = capsys.readouterr().out
    assert "4 Artikel" in out
    for part in ("Abstimmungsteil", "Prüfteil"):
        lines = lines_of(out, part)
        search_line = next(line for line in lines if line.startswith("Suche ("))
        assert search_line.split()[-4:] == ["1.0000", "[1.0000,", "1.0000]", "1.0000"]
        assert any(line.startswith("TF-IDF mit Stammformen") for line in lines)
        assert any(line.startswith("Suche − TF-IDF") for line in lines)
    # "Straße gesperrt": the baseline needs the word as written, the search folds ß.
    baseline = [line for line in out.splitlines() if line.startswith("Vergleich")]
    assert min(float(line.split()[-4]) for line in baseline) < 1.0


def test_eval_of_the_tuning_part_leaves_the_check_part_unseen(tmp_path, capsys):
    path = write(
        tmp_path,
        [{"id": n, "title": t, "date": d, "body": b} for n, (t, d, b) in enumerate(ARTICLES)],
    )
    call_command("redaktion_search", "eval", str(path), "--part", "tuning")
    out = capsys.readouterr().out
    assert any(line.startswith("Abstimmungsteil") for line in out.splitlines())
    assert "Prüfteil:" not in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": 1, "title": "A"}\n{"id": 2}', "is missing"),
        ("kein json\n{}", "not JSON"),
        ('{"id": 1, "title": "A", "date": "05.05.2022", "body": "B"}\n', "YYYY-MM-DD"),
    ],
)
def test_eval_explains_a_broken_file(tmp_path, content, message):
    path = tmp_path / "broken.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("redaktion_search", "eval", str(path))


def test_eval_on_the_real_articles_beats_the_baselines_on_the_check_part(capsys):
    if not WIKINEWS.exists():
        pytest.skip(f"{WIKINEWS} is missing (the evaluation data lives outside the repository)")
    call_command("redaktion_search", "eval", str(WIKINEWS))
    lines = lines_of(capsys.readouterr().out, "Prüfteil")
    difference = next(line for line in lines if line.startswith("Suche − TF-IDF"))
    low = float(difference.split("[")[1].split(",")[0])
    assert low > 0
    baseline = next(line for line in lines if line.startswith("Suche − Vergleich"))
    assert float(baseline.split()[-3]) > 0.15
