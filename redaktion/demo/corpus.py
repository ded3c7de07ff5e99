"""The demo newsroom's stories, read from the plain-text story files next to this module.

Each Ressort has a file (``politik.txt`` …); ``hintergrund.txt`` holds explainer boxes and
background paragraphs that several stories share. Prose reads better and diffs better as
text than as Python string literals, so the files use a small format::

    === slug-of-the-story
    kicker: Dachzeile
    headline: Überschrift
    days: 3                          (days before the demo is loaded; 0 = today)
    topics: topic-slug, other-topic  (1 to 4, see masthead.TOPICS)
    authors: author-slug             (1 or 2, see masthead.AUTHORS)
    image: Bildunterschrift | Bildagentur Nord
    correction: 5 | Korrektur: …     (optional: hours after publication, note)
    related: older-story-slug        (optional editor's picks)
    lead: Vorspann in two or three sentences.

    A paragraph is one line.

    ## A subheading

    > A quote.
    — Who said it

    [Info: Title of a box]
    - a list item
    - another one

    @hintergrund name-of-a-shared-block

Lines before the first ``===`` are a comment for whoever edits the file.
"""

from dataclasses import dataclass, field
from functools import cache
from html import escape
from pathlib import Path

from wagtail.rich_text import RichText

from .masthead import RESSORTS

STORY_DIR = Path(__file__).resolve().parent
BACKGROUND_FILE = "hintergrund.txt"
HEADER_KEYS = {
    "kicker",
    "headline",
    "days",
    "topics",
    "authors",
    "image",
    "correction",
    "related",
    "lead",
}
REQUIRED_KEYS = {"kicker", "headline", "days", "topics", "authors", "image", "lead"}


class CorpusError(ValueError):
    """A story file does not follow the format; the message names the file and line."""


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Subheading:
    text: str


@dataclass(frozen=True)
class Quote:
    text: str
    attribution: str


@dataclass(frozen=True)
class InfoBox:
    title: str
    lines: tuple[str, ...]
    bulleted: bool


Element = Paragraph | Subheading | Quote | InfoBox


@dataclass(frozen=True)
class Story:
    slug: str
    ressort: str
    kicker: str
    headline: str
    lead: str
    days_ago: int
    topics: tuple[str, ...]
    authors: tuple[str, ...]
    caption: str
    credit: str
    body: tuple[Element, ...]
    correction_hours: int = 0
    correction_note: str = ""
    related: tuple[str, ...] = field(default=())

    def stream(self) -> list[tuple[str, object]]:
        """The body as (block type, value) pairs for ``ArticlePage.body``."""
        return [_block(element) for element in self.body]


def _block(element: Element) -> tuple[str, object]:
    match element:
        case Paragraph(text):
            return ("paragraph", RichText(f"<p>{escape(text, quote=False)}</p>"))
        case Subheading(text):
            return ("subheading", text)
        case Quote(text, attribution):
            return ("quote", {"text": text, "attribution": attribution})
        case InfoBox(title, lines, bulleted):
            if bulleted:
                items = "".join(f"<li>{escape(line, quote=False)}</li>" for line in lines)
                html = f"<ul>{items}</ul>"
            else:
                html = "".join(f"<p>{escape(line, quote=False)}</p>" for line in lines)
            return ("infobox", {"title": title, "body": RichText(html)})
    raise TypeError(element)


def _chunks(path: Path) -> list[tuple[str, int, list[tuple[int, str]]]]:
    """(slug, line number, numbered lines) for each ``=== slug`` section of a file."""
    sections: list[tuple[str, int, list[tuple[int, str]]]] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.rstrip()
        if line.startswith("=== "):
            sections.append((line[4:].strip(), number, []))
        elif sections:
            sections[-1][2].append((number, line))
    return sections


def _paragraphs(lines: list[tuple[int, str]]) -> list[tuple[int, list[str]]]:
    """Blank-line separated groups of lines, each with the number of its first line."""
    groups: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, line in [*lines, (0, "")]:
        if line.strip():
            if not current:
                start = number
            current.append(line.strip())
        elif current:
            groups.append((start, current))
            current = []
    return groups


def _elements(groups, where: str, backgrounds: dict[str, tuple[Element, ...]]):
    elements: list[Element] = []
    for number, lines in groups:
        first = lines[0]
        here = f"{where}:{number}"
        if first.startswith("## "):
            if len(lines) > 1:
                raise CorpusError(f"{here}: a subheading stands alone")
            elements.append(Subheading(first[3:].strip()))
        elif first.startswith("> "):
            attribution = ""
            if lines[-1].startswith("— "):
                attribution = lines.pop()[2:].strip()
            text = " ".join(line.removeprefix("> ").strip() for line in lines)
            elements.append(Quote(text, attribution))
        elif first.startswith("[Info: ") and first.endswith("]"):
            items = lines[1:]
            if not items:
                raise CorpusError(f"{here}: an info box needs text")
            bulleted = all(item.startswith("- ") for item in items)
            if bulleted:
                items = [item[2:].strip() for item in items]
            elements.append(InfoBox(first[7:-1].strip(), tuple(items), bulleted))
        elif first.startswith("@hintergrund "):
            name = first.split(maxsplit=1)[1].strip()
            if name not in backgrounds:
                raise CorpusError(f"{here}: no background block “{name}”")
            elements.extend(backgrounds[name])
        else:
            if len(lines) > 1:
                raise CorpusError(f"{here}: a paragraph is one line")
            elements.append(Paragraph(first))
    return tuple(elements)


@cache
def backgrounds() -> dict[str, tuple[Element, ...]]:
    """Shared blocks from ``hintergrund.txt``, by name."""
    path = STORY_DIR / BACKGROUND_FILE
    return {
        name: _elements(_paragraphs(lines), f"{path.name}:{number}", {})
        for name, number, lines in _chunks(path)
    }


def _header(lines: list[tuple[int, str]], where: str) -> tuple[dict[str, str], list]:
    header: dict[str, str] = {}
    rest = list(lines)
    while rest and rest[0][1].strip():
        number, line = rest.pop(0)
        key, sep, value = line.partition(":")
        key = key.strip()
        if not sep or key not in HEADER_KEYS:
            raise CorpusError(f"{where}:{number}: expected “key: value”, got “{line}”")
        header[key] = value.strip()
    missing = REQUIRED_KEYS - header.keys()
    if missing:
        raise CorpusError(f"{where}: missing {', '.join(sorted(missing))}")
    return header, rest


def _names(value: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in value.split(",") if name.strip())


def _story(ressort: str, slug: str, number: int, lines, path: Path) -> Story:
    where = f"{path.name}:{number}"
    header, rest = _header(lines, where)
    caption, _, credit = header["image"].partition("|")
    correction_hours, correction_note = 0, ""
    if "correction" in header:
        hours, _, correction_note = header["correction"].partition("|")
        correction_hours = int(hours)
        correction_note = correction_note.strip()
    return Story(
        slug=slug,
        ressort=ressort,
        kicker=header["kicker"],
        headline=header["headline"],
        lead=header["lead"],
        days_ago=int(header["days"]),
        topics=_names(header["topics"]),
        authors=_names(header["authors"]),
        caption=caption.strip(),
        credit=credit.strip(),
        body=_elements(_paragraphs(rest), path.name, backgrounds()),
        correction_hours=correction_hours,
        correction_note=correction_note,
        related=_names(header.get("related", "")),
    )


@cache
def stories() -> tuple[Story, ...]:
    """Every story of every Ressort file, in Ressort order and file order."""
    result: list[Story] = []
    for ressort in RESSORTS:
        path = STORY_DIR / f"{ressort.slug}.txt"
        for slug, number, lines in _chunks(path):
            result.append(_story(ressort.slug, slug, number, lines, path))
    return tuple(result)
