"""Who wrote an article page: the names of its authors, as German pages give them.

The most explicit place wins, and a place that names no person gives way to the next:
JSON-LD's ``author`` (persons only: an ``Organization`` is the publisher or an agency),
``<meta name="author">``, ``article:author``, microdata ``itemprop="author"``,
``rel="author"`` links, then the page's byline. A byline is read where the page marks it (an
element whose class, id or ``itemprop`` names the author, byline or origin: ``byline``,
``article-author``, ``authorline__author``, ``article-origins``, ``atc-MetaAuthor``), or
from any short line of the page that is one, such as a "Von …, dpa" closing an agency
report. German bylines read "Von A", "Von A und B", "Von A, B und C", "A / dpa", "Eine
Analyse von A", "Von A und B, Berlin" (the place or newsroom after the list), with the
agency in brackets or after a comma or slash. A news agency (dpa, AFP, Reuters …) and the
site itself are never authors; a marked block without "Von" counts only when all it says
is names, and a line elsewhere only when it starts as a byline and is nothing else.
"""

from __future__ import annotations

import re

# News agencies and their services as bylines name them: credited, but no author.
AGENCIES = {
    "afp",
    "agenturen",
    "ap",
    "apa",
    "belga",
    "dapd",
    "ddp",
    "dj",
    "dpa",
    "dpa-afx",
    "dpa-infocom",
    "dpa-tmn",
    "dts",
    "efe",
    "epd",
    "kna",
    "nachrichtenagenturen",
    "reuters",
    "sda",
    "keystone-sda",
    "sid",
}
# The words of a class or id that mark a byline: "author", "autor" and "byline" also as
# the start of one ("authorline", "autoren"), "origins" as in "article-origins".
MARK_STEMS = ("author", "autor", "byline")
MARK_WORDS = {"origin", "origins", "verfasser", "meta", "dateline"}
# How a byline begins: "Von", "By", "Text:", "Autorin:", or "Ein Kommentar von".
LEAD = re.compile(
    r"^(?:(?:ein|eine)\s+[\wäöüß-]+\s+(?:von|by)\b|von\b|by\b|text\s*:|"
    r"autor(?:in|en|innen)?\s*:|verfasst\s+von\b)\s*",
    re.I,
)
# Where the names of a byline end: a separator, a date, a time.
END = re.compile(r"\s*(?:[|·•–—]|\d|\bam\b|\bvom\b|\baktualisiert\b)", re.I)
SPLIT = re.compile(r"\s*(?:,|;|/|\bund\b|\band\b|&)\s*")
# The lower-case words a name may hold: "Ursula von der Leyen", "Ahmad al Hamid".
PARTICLES = {"von", "van", "der", "den", "de", "del", "della", "di", "da", "du", "zu", "zur"}
PARTICLES |= {"la", "le", "ten", "ter", "al", "el", "bin", "ibn", "y"}
# Capitalised words that start no person's name in a byline.
NOT_NAMES = {"der", "die", "das", "ein", "eine", "unser", "unsere", "redaktion", "team"}
NOT_NAMES |= {"foto", "fotos", "text", "bild", "bilder", "grafik", "video", "quelle"}
WORD = re.compile(r"^[A-ZÄÖÜ][\w'’.-]*$")
LINE_LENGTH = 200


def marked(element) -> bool:
    """Whether ``element``'s class, id or ``itemprop`` names an author or byline."""
    words = _words(f"{element.get('class', '')} {element.get('id', '')}")
    words.add((element.get("itemprop") or "").casefold())
    return bool(words & MARK_WORDS) or any(w.startswith(MARK_STEMS) for w in words)


def _words(value: str) -> set[str]:
    """The words of a class or id: ``atc-MetaAuthorLink`` → atc, meta, author, link."""
    spaced = re.sub(r"([a-zäöü])([A-ZÄÖÜ])", r"\1 \2", value)
    return {word.casefold() for word in re.split(r"[^\wäöüÄÖÜß]+|_", spaced) if word}


def is_agency(name: str) -> bool:
    return " ".join(name.casefold().strip(" ()").split()) in AGENCIES


def is_person(name: str) -> bool:
    """Whether ``name`` reads as a person's name: two to five words, the first and last
    capitalised, the others too or name particles ("von der"), no digits."""
    words = name.split()
    if not 2 <= len(words) <= 5 or any(c.isdigit() for c in name):
        return False
    if words[0].casefold() in NOT_NAMES or not WORD.match(words[-1]):
        return False
    return all(WORD.match(w) or w in PARTICLES for w in words) and bool(WORD.match(words[0]))


def written_as_name(name: str) -> str:
    """A name as it is written: one in capitals ("ANNA BERG", a tabloid's byline) in the
    usual case, others unchanged."""
    return name.title() if name.isupper() and len(name) > 3 else name


def byline_names(text: str, *, lead_needed: bool) -> list[str] | None:
    """The authors a byline ``text`` names, or None when it is no byline: with
    ``lead_needed`` it must begin as one ("Von …"); otherwise it may be names alone. Every
    part must be a name, an agency or (after a byline's lead or the closing "und") the
    place or newsroom; agencies and places are left out of the names."""
    text = " ".join(text.split())
    lead = LEAD.match(text)
    if lead is None and lead_needed:
        return None
    rest = re.sub(r"\([^)]*\)", " ", text[lead.end() :] if lead else text)
    rest = END.split(rest, maxsplit=1)[0].strip(" ,:-")
    # "Von A, B und C, Berlin": the list ends with the name after "und"; what follows a
    # comma there is the place or the newsroom.
    closing = re.search(r"\bund\b[^,]*", rest)
    if closing:
        rest = rest[: closing.end()]
    names = []
    for part in SPLIT.split(rest):
        if not part or is_agency(part):
            continue
        if not is_person(part):
            if lead is None or " " in part:
                return None
            continue  # "Von A, Berlin": the place
        names.append(written_as_name(part))
    return names or None


def byline_read(tree) -> tuple[list[str], list]:
    """The authors the page's byline names and the elements that hold it: the first marked
    element (``marked``) that reads as a byline, else the first short line that is one;
    each looked for inside the page's ``<article>`` or ``<main>`` first. Returns the marked
    elements as well (the byline's date may stand in them), and no names when none is
    found."""
    body = tree.find(".//body")
    if body is None:
        return [], []
    inner = tree.xpath("//article | //main")
    ordered = [*(e for part in inner for e in part.iter()), *body.iter()]
    elements = [e for e in dict.fromkeys(ordered) if isinstance(e.tag, str)]
    found = [e for e in elements if marked(e)]
    for element, lead_needed in [*((e, False) for e in found), *((e, True) for e in elements)]:
        if element.tag in ("script", "style", "body", "html"):
            continue
        # Spaced, so that blocks side by side ("Anna Berg" above "12. März") stay apart.
        text = " ".join(element.itertext())
        if len(text) > LINE_LENGTH:
            continue
        names = byline_names(text, lead_needed=lead_needed)
        if names:
            return names, list(dict.fromkeys([*found, element]))
    return [], found
