"""When an article page was published, read from what the page says about the article
itself rather than from the first date it shows.

Pages show many dates: a ticker of other stories above the article, "Meistgelesen" lists,
teasers of related articles each with its ``<time>``, a broadcast note after the text. So
the article's date is taken, in this order, from structured data about the article (its
JSON-LD ``datePublished``, ``article:published_time`` and the other date ``<meta>`` tags,
``itemprop="datePublished"``), then from the date that stands nearest to the article's
headline within the smallest block that holds both: a ``<time>`` or a German date line
("Stand: 07.12.2026, 14:30 Uhr", "Veröffentlicht am 7. Jänner 2026 um 9:15 Uhr", a
byline's "Von A | 12.03.2024"). A date inside navigation, an ``<aside>``, the site's header
or footer, another story's ``<article>``, a list of links or a block marked as teasers,
ticker or "Meistgelesen" is never the article's.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

SOURCE_ZONE = ZoneInfo("Europe/Berlin")
GERMAN_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januar", "jan", "jänner", "jän", "jaenner"),
            ("februar", "feb", "feber"),
            ("märz", "mär", "maerz"),
            ("april", "apr"),
            ("mai",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("dezember", "dez"),
        ],
        1,
    )
    for name in names
}
# "07.12.2026", "7.12.2026, 14:30", "07.12.2026 um 14.30 Uhr", "7. Dezember 2026 | 14:30".
CLOCK = r"(?:\s*[,|]?\s*(?:um\s+)?(\d{1,2})[:.](\d{2})\b)?"
NUMERIC_DATE = re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})" + CLOCK)
WORD_DATE = re.compile(r"\b(\d{1,2})\.\s+([A-Za-zäÄ]+)\.?\s+(\d{4})" + CLOCK)
# Meta tags that date the page, the most explicit first.
META_DATES = (
    "article:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publish-date",
    "dc.date",
    "dc.date.issued",
)
# How a line that dates the article begins.
CUE = re.compile(
    r"^\s*(?:stand|veröffentlicht|publiziert|erschienen|erstellt|datum|aktualisiert)\b", re.I
)
# Class or id words of an element that holds a date.
DATE_WORDS = {"date", "datum", "time", "zeit", "dateline", "published", "publish", "pubdate"}
DATE_WORDS |= {"stand", "meta", "info", "infos", "timestamp", "posted"}
# Class or id words of a block of other stories.
ELSEWHERE_WORDS = {"teaser", "teasers", "ticker", "newsticker", "latest", "neueste"}
ELSEWHERE_WORDS |= {"meistgelesen", "most", "popular", "trending", "related"}
ELSEWHERE_WORDS |= {"recommended", "empfehlungen", "nav", "navigation", "menu", "sidebar"}
ELSEWHERE_WORDS |= {"breadcrumb", "comments", "kommentare", "more", "weitere"}
# A line longer than this is running text, not a date line.
LINE_LENGTH = 160
WEEKDAYS = {"montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"}


def _clean(text) -> str:
    return " ".join(str(text or "").split())


def parse_date(value: str) -> datetime | None:
    """An ISO 8601 date or time (a bare date or a time without zone in Europe/Berlin), or a
    German one ("12.03.2024, 14:30", "12. März 2024", "am 7. Jänner 2026 um 9:15 Uhr");
    None when there is none."""
    value = _clean(value)
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        parsed = german_date(value)
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=SOURCE_ZONE)


def german_date(value: str) -> datetime | None:
    """The first German date in ``value`` (numeric or with the month's name), without zone."""
    found = []
    for pattern in (NUMERIC_DATE, WORD_DATE):
        for match in pattern.finditer(value):
            day, month, year, hour, minute = match.groups()
            month = int(month) if month.isdigit() else GERMAN_MONTHS.get(month.casefold())
            if not month:
                continue
            try:
                found.append(
                    (
                        match.start(),
                        datetime(int(year), month, int(day), int(hour or 0), int(minute or 0)),
                    )
                )
            except ValueError:
                continue
            break
    return min(found, key=lambda item: item[0])[1] if found else None


def words(element) -> set[str]:
    """The words of an element's class and id: ``MostRead_item`` → most, read, item."""
    value = f"{element.get('class', '')} {element.get('id', '')}"
    spaced = re.sub(r"([a-zäöü])([A-ZÄÖÜ])", r"\1 \2", value)
    return {word.casefold() for word in re.split(r"[^\wäöüÄÖÜß]+|_", spaced) if word}


def _link_list(element) -> bool:
    """Whether ``element`` is an item of a list of links to other pages (a teaser list)."""
    if element.tag != "li":
        return False
    items = [item for item in element.getparent() if getattr(item, "tag", "") == "li"]
    return len(items) >= 2 and all(item.xpath(".//a[@href]") for item in items)


def elsewhere(element, headline, container) -> bool:
    """Whether ``element`` stands in a part of the page that is not the article's:
    navigation, an ``<aside>``, a header or footer outside the article's ``container``,
    another story's ``<article>`` (where the headline has one of its own), a list of links
    or a block marked as other stories. Blocks that hold the headline are the article's."""
    own_article = headline is not None and any(a.tag == "article" for a in headline.iterancestors())
    for ancestor in [element, *element.iterancestors()]:
        if ancestor is container or (headline is not None and holds(ancestor, headline)):
            # From here up every block holds the article.
            return False
        tag = ancestor.tag if isinstance(ancestor.tag, str) else ""
        if tag in ("nav", "aside") or (tag == "article" and own_article):
            return True
        if tag in ("header", "footer") and not _inside(ancestor, container):
            return True
        if _link_list(ancestor) or words(ancestor) & ELSEWHERE_WORDS:
            return True
    return False


def holds(element, inner) -> bool:
    """Whether ``inner`` is ``element`` or inside it."""
    return element is inner or any(a is element for a in inner.iterancestors())


def _inside(element, container) -> bool:
    return container is not None and holds(container, element)


def _short_text(element) -> str:
    """The element's text when it is a line (at most ``LINE_LENGTH`` characters), else ""."""
    parts, length = [], 0
    for part in element.itertext():
        parts.append(part)
        length += len(part)
        if length > 2 * LINE_LENGTH:
            return ""
    text = _clean(" ".join(parts))
    return text if len(text) <= LINE_LENGTH else ""


def _dated(element, bylines) -> datetime | None:
    """The date an element gives: a ``<time>``'s ``datetime``, or the German date of a line
    that dates the article (a byline, a ``<time>`` without the attribute, an element marked
    as a date, a line that begins "Stand:", "Veröffentlicht" …, or one that is only a
    date)."""
    if element.tag == "time" and element.get("datetime"):
        return parse_date(element.get("datetime"))
    text = _short_text(element)
    found = german_date(text) if text else None
    if found is None:
        return None
    if (
        element.tag == "time"
        or any(element is b for b in bylines)
        or words(element) & DATE_WORDS
        or CUE.match(text)
        or _only_date(text)
    ):
        return found.replace(tzinfo=SOURCE_ZONE)
    return None


def _only_date(text: str) -> bool:
    """Whether a line says nothing but a date: "Freitag, 06.04.2018, 14:30 Uhr"."""
    rest = NUMERIC_DATE.sub(" ", WORD_DATE.sub(" ", text))
    left = [w for w in re.findall(r"[^\W\d_]+", rest) if w.casefold() not in WEEKDAYS]
    return all(w.casefold() in ("uhr", "um") for w in left)


def page_dates(tree, headline, container, bylines) -> list[tuple[object, datetime]]:
    """The elements that date the article, each the innermost that gives the date, in
    document order, leaving out those in parts of the page that are not the article's."""
    found: list[tuple[object, datetime]] = []
    body = tree.find(".//body")
    for element in (body if body is not None else tree).iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style"):
            continue
        date = _dated(element, bylines)
        if date is None or elsewhere(element, headline, container):
            continue
        # A line's <time> or dated part stands for the line.
        found = [(e, d) for e, d in found if not holds(e, element)]
        found.append((element, date))
    return found


def published(tree, ld: dict, headline, container, bylines) -> datetime | None:
    """When the article was published, in the order the module's doc gives: ``ld`` is the
    article's JSON-LD, ``headline`` the element of its headline, ``container`` the
    ``<article>`` or ``<main>`` that holds it, ``bylines`` the elements of its byline."""
    # Only named <meta> tags date the page: an itemprop one may be a teaser's.
    named = {}
    for meta in tree.xpath("//meta[@content][@property or @name]"):
        named.setdefault((meta.get("property") or meta.get("name")).lower(), meta.get("content"))
    for value in (ld.get("datePublished"), *(named.get(key, "") for key in META_DATES)):
        if isinstance(value, list):
            value = value[0] if value else ""
        date = parse_date(value) if isinstance(value, str) else None
        if date:
            return date
    for element in tree.xpath('//*[@itemprop="datePublished"]'):
        date = parse_date(element.get("content") or element.get("datetime") or "")
        if date and not elsewhere(element, headline, container):
            return date
    dates = page_dates(tree, headline, container, bylines)
    if headline is None or not dates:
        return dates[0][1] if dates else None
    order = {element: number for number, element in enumerate(tree.iter())}
    for block in headline.iterancestors():
        near = [(e, d) for e, d in dates if holds(block, e)]
        if near:
            return min(near, key=lambda pair: abs(order[pair[0]] - order[headline]))[1]
    return dates[0][1]
