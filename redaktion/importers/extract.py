"""What an article page says about itself: headline, Dachzeile, authors, dates, lead, body,
lead image, Ressort and topics.

Each fact is read from the most explicit place the page has: its JSON-LD ``NewsArticle``
(or another ``Article`` type, also inside an ``@graph``), then Open Graph and the other
``<meta>`` tags, then microdata (``itemprop``), then the page itself (``<h1>``, ``<time>``,
the byline as ``bylines`` reads it, elements marked as Dachzeile or lead). The headline's
element is the first ``<h1>`` that is not the site's logo (an image, the site's name, a link
home), else the article's own heading; the publication date is read as ``dates`` reads it,
from what the page says about the article rather than its first date. The body is
trafilatura's reading of the page, with the headline, Dachzeile and byline taken out first,
as HTML for the import and as plain text (paragraphs separated by blank lines) for
``--json``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from urllib.parse import urljoin, urlsplit

import lxml.html
import trafilatura
from lxml import etree

from .bylines import byline_read, is_agency
from .dates import parse_date, published

ARTICLE_TYPES = {
    "NewsArticle",
    "Article",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "BlogPosting",
    "LiveBlogPosting",
    "Report",
}
ORGANISATIONS = {"Organization", "NewsMediaOrganization", "Corporation", "NGO"}
KICKER_MARKS = re.compile(
    r"(?:^|[-_\s])(kicker|dachzeile|topline|overline|roofline|spitzmarke|eyebrow)(?:$|[-_\s])", re.I
)
LEAD_MARKS = re.compile(
    r"(?:^|[-_\s])(lead|vorspann|intro|teaser-text|standfirst|summary)(?:$|[-_\s])", re.I
)
FURNITURE_MARKS = re.compile(
    r"(?:^|[-_\s])(footer|fuss|fusszeile|share|sharing|social|teilen|related|navi|navigation|"
    r"menu|menue|breadcrumb|cookie|consent|newsletter|comments|kommentare|werbung|anzeige|ad|"
    r"ads|sidebar|paywall|copyright|print|logo|masthead)(?:$|[-_\s])",
    re.I,
)
LOGO_MARKS = re.compile(
    r"(?:^|[-_\s])(logo|brand|branding|masthead|site-title|site-name|sitename|wordmark)(?:$|[-_\s])",
    re.I,
)
FURNITURE_LENGTH = 600
NAME_SPLIT = re.compile(r"\s*(?:,|;|\bund\b|\band\b|&)\s*")
BLOCKS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td")


@dataclass
class Extracted:
    title: str = ""
    kicker: str = ""
    authors: list[str] = field(default_factory=list)
    date: datetime | None = None
    updated: datetime | None = None
    lead: str = ""
    body_html: str = ""
    body: str = ""
    image: str = ""
    image_caption: str = ""
    section: str = ""
    tags: list[str] = field(default_factory=list)
    url: str = ""


def _clean(text) -> str:
    return " ".join(str(text or "").split())


def _names(value) -> list[str]:
    """Author names from JSON-LD (a string, a Person, a list of them) or a byline."""
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    if isinstance(value, dict):
        # An organisation as author is the publisher or an agency, not who wrote it.
        kinds = value.get("@type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if any(kind in ORGANISATIONS for kind in kinds):
            return []
        return _names(value.get("name", ""))
    text = _clean(value)
    if not text or text.startswith(("http://", "https://")):
        return []
    return [name for name in NAME_SPLIT.split(text) if name and len(name) < 80]


def _first(*values) -> str:
    for value in values:
        if isinstance(value, list):
            value = value[0] if value else ""
        if isinstance(value, dict):
            value = value.get("url") or value.get("@id") or value.get("name") or ""
        if _clean(value):
            return _clean(value)
    return ""


def _json_ld(tree) -> dict:
    """The page's first JSON-LD object of an article type, from a list or ``@graph`` too."""
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                types = item.get("@type")
                types = types if isinstance(types, list) else [types]
                if ARTICLE_TYPES.intersection(t for t in types if isinstance(t, str)):
                    return item
                stack.extend(item.get("@graph") or [])
    return {}


def _meta(tree) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for meta in tree.xpath("//meta[@content]"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key:
            found.setdefault(key, []).append(_clean(meta.get("content")))
    return found


def _itemprop(tree, name: str) -> list:
    return tree.xpath(f'//*[@itemprop="{name}"]')


def _marked(tree, pattern: re.Pattern, tags: str = "*") -> list:
    return [
        element
        for element in tree.xpath(f"//body//{tags}[@class or @id]")
        if pattern.search(f"{element.get('class', '')} {element.get('id', '')}")
    ]


def _text(element) -> str:
    return _clean(element.text_content()) if element is not None else ""


def _strip_site(title: str, site: str, headline: str) -> str:
    """A ``<title>``'s or og:title's "Headline | Site" (or "Site – Headline") without the
    site's name: cut only where the cut-off part is the site's name (og:site_name) or the
    rest is the page's ``<h1>``, so "Bayern - Dortmund 2:1" stays whole."""
    for separator in (" | ", " - ", " – ", " — ", " · "):
        if separator not in title:
            continue
        head, tail = (part.strip() for part in title.rsplit(separator, 1))
        if (site and site.casefold() == tail.casefold()) or (headline and headline == head):
            return head
        first, rest = (part.strip() for part in title.split(separator, 1))
        if (site and site.casefold() == first.casefold()) or (headline and headline == rest):
            return rest
    return title


def extract(html: str, *, url: str = "") -> Extracted:
    """The facts of the article page ``html``; ``url`` resolves its relative addresses."""
    tree = lxml.html.fromstring(html)
    ld, meta = _json_ld(tree), _meta(tree)
    page = Extracted()
    publisher = ld.get("publisher") if isinstance(ld.get("publisher"), dict) else {}
    named = [_first(meta.get("og:site_name")), _first(publisher.get("name"))]
    named.append(_first(meta.get("application-name")))
    logos = [h1 for h1 in tree.iter("h1") if _logo(h1, {n.casefold() for n in named if n})]
    site = _first(named[0], *map(_logo_name, logos))
    titles = [
        _strip_site(_first(meta.get("og:title")), site, ""),
        _strip_site(_text(tree.find(".//title")), site, ""),
    ]
    heading = _heading(tree, logos, [ld.get("headline"), *titles])
    kicker_elements = [e for e in _marked(tree, KICKER_MARKS) if not _marked_inside(e, heading)]
    kicker_elements += _kickers_inside(heading)
    page.kicker = _first(*map(_text, kicker_elements))
    headline = _heading_text(heading, page.kicker)
    page.title = _first(
        ld.get("headline"),
        _strip_site(_first(meta.get("og:title")), site, headline),
        _first(*(e.get("content") or _text(e) for e in _itemprop(tree, "headline"))),
        headline,
        _strip_site(_text(tree.find(".//title")), site, headline),
    )
    sites = {name.casefold() for name in (site, _first(publisher.get("name"))) if name}
    byline, bylines = byline_read(tree)
    page.authors = _authors(tree, ld, meta, sites) or [
        n for n in byline if n.casefold() not in sites
    ]
    page.date = published(tree, ld, heading, _container(heading), bylines)
    page.updated = parse_date(
        _first(
            ld.get("dateModified"),
            meta.get("article:modified_time"),
            meta.get("datemodified"),
            *(e.get("content") or e.get("datetime") for e in _itemprop(tree, "dateModified")),
        )
    )
    lead_elements = _marked(tree, LEAD_MARKS, "p") + _marked(tree, LEAD_MARKS, "div")
    page.lead = _first(
        ld.get("description"),
        meta.get("og:description"),
        meta.get("description"),
        *(_text(e) for e in _itemprop(tree, "description")),
        *map(_text, lead_elements),
    )
    page.section = _first(ld.get("articleSection"), meta.get("article:section"))
    keywords = ld.get("keywords") or meta.get("article:tag") or []
    page.tags = [
        _clean(tag)
        for tag in (keywords.split(",") if isinstance(keywords, str) else keywords)
        if isinstance(tag, str) and _clean(tag)
    ]
    page.url = _first(
        *(e.get("href") for e in tree.xpath('//link[@rel="canonical"][@href]')),
        meta.get("og:url"),
        ld.get("url"),
        ld.get("mainEntityOfPage"),
        url,
    )
    page.image, page.image_caption = _image(tree, ld, meta)
    page.image = urljoin(url, page.image) if page.image else ""
    marked_lead = _first(*map(_text, lead_elements))
    # A headline that is no <h1> is taken out of the text like the <h1>.
    headline_element = [heading] if heading is not None and heading.tag != "h1" else []
    marked = bylines + kicker_elements + headline_element
    page.body_html = _body_html(tree, headline, page, marked, url)
    page.body = body_text(page.body_html)
    if marked_lead and not page.body.startswith(marked_lead):
        # A lead set apart above the text (in the article's head) is the text's beginning,
        # though the extraction may leave it out or put it last.
        page.body_html = _lead_first(page.body_html, marked_lead)
        page.body = body_text(page.body_html)
    if not page.lead:
        page.lead = page.body.split("\n\n", 1)[0]
    return page


def _marked_inside(element, parent) -> bool:
    return parent is not None and element in parent.iterdescendants()


def _kickers_inside(heading) -> list:
    if heading is None:
        return []
    return [e for e in heading.iterdescendants() if KICKER_MARKS.search(e.get("class", ""))]


def _heading_text(heading, kicker: str) -> str:
    if heading is None:
        return ""
    text = _text(heading)
    for part in map(_text, _kickers_inside(heading)):
        text = text.replace(part, "", 1)
    return _clean(text.strip(" :–-"))


def _logo(h1, sites: set[str]) -> bool:
    """Whether an ``<h1>`` is the site's logo, not the article's headline: it holds only an
    image, only the site's name, only a link to the home page, or is marked as the logo."""
    text = _text(h1)
    if not text or text.casefold() in sites:
        return True
    if any(LOGO_MARKS.search(f"{e.get('class', '')} {e.get('id', '')}") for e in h1.iter()):
        return True
    links = h1.xpath(".//a[@href]")
    return (
        len(links) == 1
        and _text(links[0]) == text
        and urlsplit(links[0].get("href")).path in ("", "/")
    )


def _logo_name(h1) -> str:
    """The site's name as its logo gives it: the text, or the image's alternative text."""
    return _first(_text(h1), *(img.get("alt") for img in h1.iter("img")))


def _heading(tree, logos: list, titles: list):
    """The element of the article's headline: the first ``<h1>`` that is no logo, else the
    element marked ``itemprop="headline"``, else the first ``<h2>`` or ``<h3>`` that says
    the headline as the JSON-LD, og:title or ``<title>`` give it (without the site's name)."""
    for h1 in tree.iter("h1"):
        if h1 not in logos:
            return h1
    for element in _itemprop(tree, "headline"):
        if element.tag != "meta" and _text(element):
            return element
    wanted = {_clean(title).casefold() for title in titles if isinstance(title, str) and title}
    for element in tree.iter("h2", "h3"):
        if _text(element).casefold() in wanted:
            return element
    return None


def _container(heading):
    """The ``<article>``, ``<main>`` or microdata article that holds the headline."""
    if heading is None:
        return None
    for ancestor in heading.iterancestors():
        if ancestor.tag in ("article", "main") or "Article" in (ancestor.get("itemtype") or ""):
            return ancestor
    return None


def _authors(tree, ld: dict, meta: dict, sites: set[str]) -> list[str]:
    """The authors the page's metadata names, from the first place that names a person:
    neither the site (it often names itself among them, "Anna Berg, Neue Rundschau") nor a
    news agency ("dpa" as ``article:author``) is one."""
    places = (
        lambda: _names(ld.get("author")),
        lambda: _names(_first(meta.get("author"))),
        lambda: _names(_first(meta.get("article:author"))),
        lambda: [
            n
            for e in _itemprop(tree, "author")
            for n in _names(e.get("content") or _itemprop_name(e))
        ],
        lambda: [n for e in tree.xpath('//a[@rel="author"]') for n in _names(_text(e))],
    )
    for names in places:
        people = [
            name
            for name in dict.fromkeys(names())
            if name.casefold() not in sites and not is_agency(name)
        ]
        if people:
            return people
    return []


def _itemprop_name(element) -> str:
    names = element.xpath('.//*[@itemprop="name"]')
    return (names[0].get("content") or _text(names[0])) if names else _text(element)


def _image(tree, ld: dict, meta: dict) -> tuple[str, str]:
    src = _first(ld.get("image"), meta.get("og:image"), meta.get("twitter:image"))
    caption = ""
    for figure in tree.xpath("//figure[.//img][.//figcaption]"):
        img = figure.xpath(".//img")[0]
        if not src or (img.get("src") and img.get("src").split("?")[0] in src):
            src = src or img.get("src", "")
            caption = _text(figure.xpath(".//figcaption")[0])
            break
    if not src:
        images = tree.xpath("//article//img[@src]")
        src = images[0].get("src") if images else ""
    return src, caption


def _body_html(tree, headline: str, page: Extracted, marked: list, url: str) -> str:
    """trafilatura's reading of the page without headline, Dachzeile, byline and what is
    marked as the page's furniture (navigation, footer, sharing, teasers of other
    articles). A marked element is only dropped while it is short, so a wrapper that
    happens to carry such a class never takes the article with it."""
    furniture = [
        element
        for element in tree.xpath("//body//*[@class or @id]")
        if FURNITURE_MARKS.search(f"{element.get('class', '')} {element.get('id', '')}")
        and not LEAD_MARKS.search(element.get("class", ""))
    ]
    for element in [
        *marked,
        *furniture,
        *tree.xpath("//body//nav | //body//footer | //body//header"),
    ]:
        if (
            element.getparent() is not None
            and element.tag not in ("body", "html", "article", "main")
            and not element.xpath(".//h1")
            and len(_text(element)) < FURNITURE_LENGTH
        ):
            element.drop_tree()
    for h1 in tree.xpath("//h1"):
        h1.drop_tree()
    html = trafilatura.extract(
        tree,
        url=url or None,
        output_format="html",
        include_comments=False,
        include_formatting=True,
        include_links=True,
        include_images=True,
        include_tables=False,
    )
    if not html:
        return ""
    body = lxml.html.fromstring(html)
    for element in body.xpath("//h1"):
        if _text(element).casefold() in (headline.casefold(), page.title.casefold()):
            element.drop_tree()
    for img in body.xpath("//img[@src]"):
        img.set("src", urljoin(url, img.get("src")))
    inner = body.find("body") if body.tag == "html" else body
    return "".join(etree.tostring(child, encoding="unicode") for child in inner)


def _lead_first(body_html: str, lead: str) -> str:
    """``body_html`` beginning with the paragraph ``lead``, taken from where it was."""
    if body_html.strip():
        tree = lxml.html.fromstring(f"<div>{body_html}</div>")
        for element in tree.iter("p"):
            if _text(element) == lead:
                element.drop_tree()
        body_html = "".join(etree.tostring(child, encoding="unicode") for child in tree)
    return f"<p>{escape(lead)}</p>{body_html}"


def body_text(body_html: str) -> str:
    """The body's text: one paragraph (or list item, subheading, quote, line of a block
    broken by ``<br>``) per block, separated by blank lines."""
    if not body_html.strip():
        return ""
    tree = lxml.html.fromstring(f"<div>{body_html}</div>")
    for br in tree.iter("br"):
        # An old CMS separates paragraphs by line breaks: each line is a paragraph here.
        br.tail = "\n" + (br.tail or "")
    parts = [
        _clean(line)
        for element in tree.iter(*BLOCKS)
        if not any(ancestor.tag in BLOCKS for ancestor in element.iterancestors())
        for line in element.text_content().split("\n")
    ]
    return "\n\n".join(part for part in parts if part)
