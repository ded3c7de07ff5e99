"""Reading who wrote an article page (``importers.bylines``), on small German pages written
for these tests: bylines as German sites print them, marked or not, and the places that
name no author (the site, a news agency, an organisation as JSON-LD author)."""

import json

import pytest

from redaktion.importers.bylines import byline_names, marked
from redaktion.importers.extract import extract

TEXT = (
    "<p>Der Gemeinderat hat am Dienstagabend den Haushalt für das kommende Jahr beschlossen. "
    "Die Mehrheit stimmte nach langer Debatte für die Pläne der Verwaltung.</p>"
    "<p>Vor allem die Sanierung der Grundschule am Markt war umstritten, weil sie teurer wird "
    "als geplant. Die Opposition hatte eine Verschiebung verlangt.</p>"
    "<p>Der Bürgermeister zeigte sich zufrieden und kündigte an, die Bürger im Frühjahr zu "
    "einer Versammlung einzuladen.</p>"
)


def page(head: str = "", article: str = "", after: str = "") -> str:
    return (
        f'<html lang="de"><head><meta charset="utf-8">{head}</head><body>'
        '<nav class="main-nav"><a href="/">Start</a> <a href="/lokales/">Lokales</a></nav>'
        f"<article><h1>Haushalt beschlossen</h1>{article}</article>{after}"
        '<footer class="site-footer"><p>© Kreisblatt</p></footer></body></html>'
    )


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Von Anna Berg", ["Anna Berg"]),
        ("Von Anna Berg und Jonas Weber", ["Anna Berg", "Jonas Weber"]),
        ("Von Anna Berg, Jonas Weber und Lea Roth", ["Anna Berg", "Jonas Weber", "Lea Roth"]),
        ("Von Anna Berg und Jonas Weber, Brüssel", ["Anna Berg", "Jonas Weber"]),
        ("Von Anna Berg, Berlin", ["Anna Berg"]),
        ("Von Anna Berg, dpa", ["Anna Berg"]),
        ("Von Anna Berg (dpa)", ["Anna Berg"]),
        ("Von Anna Berg | 12.03.2024, 14:30 Uhr", ["Anna Berg"]),
        ("Eine Analyse von Ursula von der Leyen", ["Ursula von der Leyen"]),
        ("Ein Gastbeitrag von Anna Berg und Jonas Weber", ["Anna Berg", "Jonas Weber"]),
        ("Text: Anna Berg", ["Anna Berg"]),
        ("Von ANNA BERG und JONAS WEBER", ["Anna Berg", "Jonas Weber"]),
        ("Von den 300 Gästen kamen viele aus dem Umland.", None),
        ("Von Berlin aus fuhren die Gäste weiter nach Potsdam.", None),
        ("Von dpa", None),
        ("Anna Berg und Jonas Weber", None),  # no "Von": not a byline in running text
    ],
)
def test_a_line_is_read_as_a_german_byline(text, names):
    assert byline_names(text, lead_needed=True) == names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Anna Berg und Jonas Weber", ["Anna Berg", "Jonas Weber"]),
        ("Anna Berg, Jonas Weber", ["Anna Berg", "Jonas Weber"]),
        ("Anna Berg / dpa", ["Anna Berg"]),
        ("Anna Berg, Jonas Weber 12. März 2024, 17:12", ["Anna Berg", "Jonas Weber"]),
        ("Anna Berg ist Redakteurin im Ressort Lokales.", None),
        ("Die Redaktion", None),
        ("dpa", None),
    ],
)
def test_a_block_marked_as_byline_may_hold_names_alone(text, names):
    assert byline_names(text, lead_needed=False) == names


def test_the_marks_of_a_byline_block():
    from lxml.html import fragment_fromstring

    def element(attributes: str):
        return fragment_fromstring(f"<div {attributes}>x</div>")

    for attributes in (
        'class="article-author"',
        'class="authorline__author"',
        'class="article-origins"',
        'class="atc-MetaAuthor"',
        'class="c-byline"',
        'itemprop="author"',
        'id="autoren"',
    ):
        assert marked(element(attributes)), attributes
    for attributes in ('class="article-body"', 'class="original-image"', 'class="teaser"'):
        assert not marked(element(attributes)), attributes


def test_names_alone_in_a_block_named_for_the_author():
    facts = extract(
        page(article=f'<div class="article-author">Anna Berg und Jonas Weber</div>{TEXT}')
    )
    assert facts.authors == ["Anna Berg", "Jonas Weber"]
    assert "Anna Berg" not in facts.body


def test_comma_separated_authors_in_their_own_block():
    facts = extract(
        page(
            article='<div class="article-byline"><div class="article-origins">Anna Berg, Jonas '
            'Weber</div><p class="article-pubdate">12. März 2024, 17:12</p></div>' + TEXT
        )
    )
    assert facts.authors == ["Anna Berg", "Jonas Weber"]
    assert facts.date.date().isoformat() == "2024-03-12"


def test_an_agency_report_names_its_writers_at_the_end():
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Haushalt beschlossen",
        "author": {"@type": "Organization", "name": "dpa"},
    }
    facts = extract(
        page(
            head='<meta property="article:author" content="dpa">'
            f'<script type="application/ld+json">{json.dumps(ld)}</script>',
            article=f"{TEXT}<p>Von Anna Berg und Jonas Weber, dpa</p>",
        )
    )
    assert facts.authors == ["Anna Berg", "Jonas Weber"]
    assert "Von Anna Berg" not in facts.body
    assert facts.body.endswith("zu einer Versammlung einzuladen.")


def test_an_organisation_as_json_ld_author_gives_way_to_the_byline():
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Haushalt beschlossen",
        "author": [{"@type": "NewsMediaOrganization", "name": "Kreisblatt Lokalredaktion"}],
        "publisher": {"@type": "Organization", "name": "Kreisblatt"},
    }
    facts = extract(
        page(
            head=f'<script type="application/ld+json">{json.dumps(ld)}</script>',
            article=f'<p class="author-line">Von Lea Roth, Kreisblatt</p>{TEXT}',
        )
    )
    assert facts.authors == ["Lea Roth"]
    person = {**ld, "author": {"@type": "Person", "name": "Jonas Weber"}}
    html = page(head=f'<script type="application/ld+json">{json.dumps(person)}</script>')
    assert extract(html.replace("<article>", f"<article>{TEXT}")).authors == ["Jonas Weber"]


def test_the_article_byline_wins_over_a_teaser_byline_before_it():
    teaser = (
        '<aside class="teaser"><a href="/anderes/">Neue Buslinie</a><p>Von Max Mustermann</p>'
        "</aside>"
    )
    html = page(article=f"<p>Von Anna Berg</p>{TEXT}").replace("<article>", f"{teaser}<article>")
    assert extract(html).authors == ["Anna Berg"]


def test_a_person_in_the_metadata_wins_over_the_byline():
    facts = extract(
        page(
            head='<meta name="author" content="Anna Berg">',
            article=f"<p>Von Jonas Weber</p>{TEXT}",
        )
    )
    assert facts.authors == ["Anna Berg"]


def test_running_text_that_begins_with_von_is_no_byline():
    facts = extract(page(article=f"<p>Von Berlin aus fuhren die Gäste weiter.</p>{TEXT}"))
    assert facts.authors == []
    assert facts.body.startswith("Von Berlin aus fuhren die Gäste weiter.")
