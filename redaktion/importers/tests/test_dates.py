"""When an article page was published (``importers.dates``), on small German pages written
for these tests: other stories' dates above, beside and below the article (a ticker, a
"Meistgelesen" list, teasers as ``<article>``, a broadcast note), structured data about the
article and the teasers, and dates that the page gives only as German text."""

import json
from datetime import datetime

import pytest

from redaktion.importers.dates import SOURCE_ZONE, parse_date
from redaktion.importers.extract import extract

TEXT = (
    "<p>Die Stadtwerke erhöhen zum Jahreswechsel die Preise für Strom und Gas. Ein Haushalt "
    "mit drei Personen zahlt dann rund acht Euro mehr im Monat.</p>"
    "<p>Als Grund nennt das Unternehmen die gestiegenen Kosten für den Netzbetrieb. Kunden "
    "können bis Ende Januar ohne Frist kündigen.</p>"
)
TICKER = (
    '<div class="news-ticker"><h3>News-Ticker</h3><ul>'
    '<li><time datetime="2026-12-05T08:00:00+01:00">08:00</time> <a href="/a">Stau auf der '
    "A7</a></li>"
    '<li><time datetime="2026-12-04T19:30:00+01:00">19:30</time> <a href="/b">Neuer '
    "Trainer</a></li></ul></div>"
)


def page(head: str = "", article: str = "", before: str = "", after: str = "") -> str:
    return (
        f'<html lang="de"><head><meta charset="utf-8">{head}</head><body>'
        '<header class="site-header"><a class="logo" href="/">Kreisblatt</a>'
        '<nav><a href="/">Start</a> <a href="/lokales/">Lokales</a></nav></header>'
        f"{before}{article}{after}"
        '<footer class="site-footer"><p>© Kreisblatt</p></footer></body></html>'
    )


def day(facts) -> str:
    return facts.date.astimezone(SOURCE_ZONE).date().isoformat() if facts.date else ""


def test_the_articles_own_time_wins_over_a_ticker_above_it():
    facts = extract(
        page(
            before=TICKER,
            article=(
                '<article><h1>Strom und Gas werden teurer</h1><div class="authors">Von Ute '
                'Kern</div><time datetime="2026-12-07T13:12:00.000Z">07.12.2026 - 14:12 Uhr'
                f"</time>{TEXT}</article>"
            ),
        )
    )
    assert facts.date == datetime(2026, 12, 7, 14, 12, tzinfo=SOURCE_ZONE)


def test_teasers_as_articles_above_the_story_are_other_stories():
    teasers = "".join(
        f'<article class="teaser"><h3><a href="/{n}.html">Bericht {n}</a></h3>'
        f'<time datetime="2026-11-{n:02d}T11:00:00+01:00">{n}.11.2026</time></article>'
        for n in (20, 21)
    )
    facts = extract(
        page(
            article=(
                f'<main><div class="related-strip"><h2>Mehr zum Thema</h2>{teasers}</div>'
                '<article class="story"><header><h1>Strom und Gas werden teurer</h1>'
                '<footer class="story__meta"><address>Von <a href="/autor/ute-kern">Ute '
                'Kern</a></address><time datetime="2026-12-07T09:15:00+01:00">7.12.2026, '
                f"09.15 Uhr</time></footer></header><div>{TEXT}</div></article></main>"
            )
        )
    )
    assert day(facts) == "2026-12-07"


def test_a_teasers_microdata_date_is_not_the_articles():
    teasers = (
        '<aside class="latest"><ul><li itemscope itemtype="https://schema.org/NewsArticle">'
        '<meta itemprop="datePublished" content="2026-11-30T10:00:00+01:00">'
        '<a href="/c">Weihnachtsmarkt öffnet</a></li></ul></aside>'
    )
    article = (
        '<div itemscope itemtype="https://schema.org/NewsArticle"><h1 itemprop="headline">'
        'Strom und Gas werden teurer</h1><meta itemprop="datePublished" '
        f'content="2026-12-07T10:30:00+01:00">{TEXT}</div>'
    )
    assert day(extract(page(before=teasers, article=article))) == "2026-12-07"


def test_structured_data_about_the_article_wins_over_the_page():
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Strom und Gas werden teurer",
        "datePublished": "2026-12-07T00:45:00+01:00",
    }
    article = (
        '<article><h1>Strom und Gas werden teurer</h1><time datetime="2026-12-09">9.12.2026'
        f"</time>{TEXT}</article>"
    )
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    facts = extract(page(head=script, before=TICKER, article=article))
    assert facts.date == datetime(2026, 12, 7, 0, 45, tzinfo=SOURCE_ZONE)
    og = '<meta property="article:published_time" content="2026-12-06T23:50:00+01:00">'
    assert day(extract(page(head=og, before=TICKER, article=article))) == "2026-12-06"


def test_no_date_is_taken_from_navigation_asides_or_teaser_lists():
    aside = (
        '<aside><h2>Meistgelesen</h2><ol><li><a href="/d">Hallenbad zu</a> '
        '<time datetime="2026-12-01T07:00:00+01:00">01.12.2026</time></li><li><a href="/e">'
        'Busse fahren wieder</a> <time datetime="2026-12-02">02.12.2026</time></li></ol></aside>'
    )
    nav = '<nav class="breadcrumb"><time datetime="2026-12-03">Heute, 3.12.2026</time></nav>'
    facts = extract(
        page(before=nav + aside, article=f"<article><h1>Strom und Gas werden teurer</h1>{TEXT}")
    )
    assert facts.date is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            '<p class="article__stand">Stand: 07.12.2026, 14:30 Uhr</p>',
            datetime(2026, 12, 7, 14, 30, tzinfo=SOURCE_ZONE),
        ),
        (
            '<div class="article-info"><span>Von Ute Kern</span> <span>Veröffentlicht am '
            "7. Jänner 2026 um 9:15 Uhr</span></div>",
            datetime(2026, 1, 7, 9, 15, tzinfo=SOURCE_ZONE),
        ),
        (
            "<p>Von Ute Kern, am 7. Dezember 2026</p>",
            datetime(2026, 12, 7, tzinfo=SOURCE_ZONE),
        ),
        (
            '<p class="meta">Montag, 07.12.2026</p>',
            datetime(2026, 12, 7, tzinfo=SOURCE_ZONE),
        ),
    ],
)
def test_a_german_date_line_by_the_headline_dates_the_article(line, expected):
    """Before a broadcast note's ``<time>`` of the next day after the text, and a list of
    other reports' dates as text."""
    latest = (
        '<div class="latest"><h2>Neueste Meldungen</h2><p>05.12.2026 | 09:10 <a href="/f">'
        "Gemeinderat tagt</a></p></div>"
    )
    broadcast = (
        '<div class="broadcast">Dieses Thema im Programm: Radio Mitte | <time '
        'datetime="2026-12-08T06:00:00+01:00">08.12.2026 | 06:00 Uhr</time></div>'
    )
    html = page(
        before=latest,
        article=(
            f'<div class="article"><p class="topline">Energie</p><h1>Strom und Gas werden '
            f"teurer</h1>{line}<div>{TEXT}</div>{broadcast}</div>"
        ),
    )
    assert extract(html).date == expected


def test_a_date_in_the_running_text_does_not_date_the_article():
    text = "<p>Die Preise steigen am 1. Januar 2027.</p>" + TEXT
    assert (
        extract(page(article=f"<div><h1>Strom und Gas werden teurer</h1>{text}</div>")).date is None
    )


def test_german_dates_as_austrian_and_swiss_pages_write_them():
    assert parse_date("am 7. Jänner 2026 um 9:15 Uhr") == datetime(
        2026, 1, 7, 9, 15, tzinfo=SOURCE_ZONE
    )
    assert parse_date("Publiziert: 07.12.2026, 14.30 Uhr") == datetime(
        2026, 12, 7, 14, 30, tzinfo=SOURCE_ZONE
    )
    # The first date of a line is its date: "Erstellt …, aktualisiert …".
    assert parse_date("Erstellt am 3. März 2026, aktualisiert am 04.03.2026") == datetime(
        2026, 3, 3, tzinfo=SOURCE_ZONE
    )
