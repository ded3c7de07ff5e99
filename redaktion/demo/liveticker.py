"""The demo's Liveticker: the day of the final budget vote in the Bundestag, 60 entries from
the morning to the late evening, with pinned and key entries and a closed end.

Content is invented like the rest of the demo newsroom; the numbers of the votes come from
a seeded generator, so every load writes the same ticker.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.utils.html import escape
from wagtail.rich_text import RichText

from redaktion.news import factories
from redaktion.news.live import LiveTickerEntry, LiveTickerPage
from redaktion.news.models import Author, RessortPage, Topic

BERLIN = ZoneInfo("Europe/Berlin")
TITLE = "Haushaltswoche im Bundestag: die Schlussabstimmung im Liveticker"
SLUG = "haushalt-schlussabstimmung-liveticker"
ENTRIES = 60
SEED = 1919

# (number, name) of the budget chapters debated and voted on during the day.
CHAPTERS = (
    ("01", "Bundespräsident"),
    ("02", "Deutscher Bundestag"),
    ("04", "Bundeskanzleramt"),
    ("05", "Auswärtiges Amt"),
    ("06", "Inneres"),
    ("07", "Justiz"),
    ("08", "Finanzen"),
    ("09", "Wirtschaft und Klimaschutz"),
    ("10", "Ernährung und Landwirtschaft"),
    ("11", "Arbeit und Soziales"),
    ("12", "Verkehr"),
    ("14", "Verteidigung"),
    ("15", "Gesundheit"),
    ("16", "Umwelt"),
    ("17", "Familie, Senioren, Frauen und Jugend"),
    ("23", "Wirtschaftliche Zusammenarbeit"),
    ("25", "Wohnen und Bauwesen"),
    ("30", "Bildung und Forschung"),
)

# The ticker's introduction: what the day is about, for readers who arrive late.
INTRODUCTION = (
    "Nach vier Tagen Haushaltswoche stimmt der Bundestag heute über den Haushalt des "
    "kommenden Jahres ab. Am Vormittag beraten die Abgeordneten die letzten Einzelpläne, am "
    "Nachmittag folgen die Abstimmungen über die Änderungsanträge und am Abend die "
    "namentliche Schlussabstimmung über das Haushaltsgesetz.",
    "Die Koalition will die Investitionen in Brücken, Schienen, Schulen und die digitale "
    "Verwaltung deutlich erhöhen und zugleich die Schuldenbremse einhalten. Dafür setzt sie "
    "auf Umschichtungen in den Ministerien, auf höhere Einnahmen aus der Lkw-Maut und auf "
    "die Sondervermögen, die der Bundestag in den vergangenen Jahren beschlossen hat.",
    "Die Opposition hält das für Haushaltstricks. Sie wirft der Regierung vor, Schulden in "
    "Nebenhaushalte zu verschieben, und will notfalls vor dem Bundesverfassungsgericht "
    "klären lassen, ob die Finanzierung mit dem Grundgesetz vereinbar ist. Auch in den "
    "Ländern und Kommunen wird die Abstimmung genau verfolgt, weil ein Teil der Mittel für "
    "Kitas, Krankenhäuser und den Nahverkehr bei ihnen ankommen soll.",
    "In diesem Liveticker berichten unsere Korrespondentinnen den ganzen Tag aus dem "
    "Plenarsaal: über die Debatten, die Abstimmungen, die Zwischenrufe und die Reaktionen "
    "nach dem Ergebnis. Die wichtigsten Ereignisse finden Sie oben zusammengefasst; neue "
    "Einträge erscheinen auf Knopfdruck, ohne dass Sie die Seite neu laden müssen.",
)

MOMENTS_FILE = Path(__file__).with_name("liveticker.txt")


def moments() -> list[tuple[int, str, str, bool, bool]]:
    """The day's own moments (``liveticker.txt``): minutes after 8:00, title, text, key
    event, pinned."""
    rows = []
    for line in MOMENTS_FILE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        minutes, title, flags, text = line.split("|", 3)
        rows.append((int(minutes), title, text, "k" in flags, "p" in flags))
    return rows


def _paragraph(text: str) -> list[tuple[str, RichText]]:
    return [("paragraph", RichText(f"<p>{escape(text)}</p>"))]


def _chapter_entries(rng: random.Random) -> list[tuple[int, str, str, bool, bool]]:
    """Two entries per budget chapter (the debate opens, the vote), spread over the day
    between the day's own moments."""
    entries = []
    start, end = 60, 590
    step = (end - start) / (len(CHAPTERS) * 2)
    for index, (number, name) in enumerate(CHAPTERS):
        opened = start + round(step * 2 * index)
        entries.append(
            (
                opened,
                f"Einzelplan {number}: {name}",
                f"Die Aussprache über den Einzelplan {number} ({name}) beginnt. "
                f"Für die Regierung spricht die zuständige Ministerin, für die Opposition "
                f"die haushaltspolitische Sprecherin.",
                False,
                False,
            )
        )
        yes = rng.randint(375, 395)
        no = rng.randint(270, 290)
        entries.append(
            (
                opened + round(step) - 2,
                "",
                f"Der Einzelplan {number} ({name}) ist angenommen: {yes} Ja-Stimmen, "
                f"{no} Nein-Stimmen.",
                False,
                False,
            )
        )
    return entries


def demo_ticker(
    *, ressort: RessortPage, authors: list[Author], topics: list[Topic], day, editor, collection
) -> LiveTickerPage:
    """Publishes the ticker of ``day`` (a date in Berlin) in ``ressort`` with its 60
    entries, closed at the last one."""
    rng = random.Random(SEED)
    morning = datetime.combine(day, time(8, 0), tzinfo=BERLIN)
    rows = sorted([*moments(), *_chapter_entries(rng)], key=lambda row: row[0])[:ENTRIES]
    ticker = factories.LiveTickerPageFactory(
        parent=ressort,
        title=TITLE,
        slug=SLUG,
        kicker="Liveticker",
        lead=(
            "Der Bundestag entscheidet über den Haushalt des kommenden Jahres. Debatten, "
            "Abstimmungen und Reaktionen aus dem Plenarsaal im Liveticker."
        ),
        body=[("paragraph", RichText("".join(f"<p>{escape(p)}</p>" for p in INTRODUCTION)))],
        lead_image=factories.ImageFactory(
            title=TITLE,
            motif="politik",
            seed=SLUG,
            width=1200,
            height=675,
            collection=collection,
        ),
        lead_image_caption="Der Plenarsaal des Bundestags am Tag der Schlussabstimmung.",
        lead_image_credit="Redaktion",
        authors=authors,
        topics=topics,
        first_published_at=morning,
        coverage_start=morning,
        closed_at=morning + timedelta(minutes=rows[-1][0] + 5),
        editor=editor,
    )
    LiveTickerEntry.objects.bulk_create(
        LiveTickerEntry(
            ticker=ticker,
            posted_at=morning + timedelta(minutes=minutes),
            created_at=morning + timedelta(minutes=minutes),
            title=title,
            body=_paragraph(text),
            author=authors[index % len(authors)],
            is_key_event=key,
            is_pinned=pinned,
            created_by=editor,
        )
        for index, (minutes, title, text, key, pinned) in enumerate(rows)
    )
    return ticker
