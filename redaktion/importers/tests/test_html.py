"""``redaktion import html``: three German article pages written for these tests
(fixtures/pages, named ``.htm`` so the template checks leave them alone): one with JSON-LD
``NewsArticle`` in an ``@graph``, one with only Open Graph and microdata, one with neither
(and in windows-1252), plus a page cut off before its article. Pages over http come from a
server on loopback started here, never the network."""

import json
import shutil
import threading
from datetime import UTC, datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from PIL import Image as PILImage
from wagtail.contrib.redirects.models import Redirect

from redaktion.importers.dates import parse_date
from redaktion.importers.extract import extract
from redaktion.importers.models import ImportedItem
from redaktion.news.factories import RessortPageFactory
from redaktion.news.models import ArticlePage

PAGES = Path(__file__).parent / "fixtures" / "pages"
JSONLD, OPENGRAPH, PLAIN, BROKEN = (
    PAGES / name
    for name in (
        "artikel-jsonld.htm",
        "artikel-opengraph.htm",
        "artikel-schlicht.htm",
        "kaputt.htm",
    )
)


def run(*arguments, language="en"):
    out, err = StringIO(), StringIO()
    try:
        with translation.override(language):
            call_command("redaktion_import", "html", *map(str, arguments), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), str(error)
    return out.getvalue(), err.getvalue(), None


def dry_json(*arguments):
    out, err, error = run(*arguments, "--dry-run", "--json")
    return [json.loads(line) for line in out.splitlines() if line.strip()], err, error


def test_json_ld_page(db):
    [page], _err, error = dry_json(JSONLD)
    assert error is None
    assert page["file"] == str(JSONLD)
    assert page["title"] == "Neue Radwege für die Innenstadt"
    assert page["kicker"] == "Verkehrswende"
    assert page["authors"] == ["Lena Hoffmann", "Jonas Weber"]
    assert page["date"] == "2024-05-14T06:00:00+02:00"
    assert page["updated"] == "2024-05-14T11:20:00+02:00"
    assert page["lead"].startswith("Die Stadt baut bis 2026 zwölf Kilometer neue Radwege.")
    paragraphs = page["body"].split("\n\n")
    assert paragraphs[1].startswith("Vor allem die Ringstraße")
    assert "Parkplätze fallen weg" in paragraphs
    assert paragraphs[-1].endswith("zuerst an der Ringstraße.")
    # Navigation, byline, caption, related teasers, cookie banner and footer stay out.
    for furniture in ("Einverstanden", "Von Lena", "Mehr zum Thema", "Impressum", "Sport"):
        assert furniture not in page["body"]
    assert page["section"] == "Lokales"


def test_open_graph_and_microdata_page(db):
    [page], _err, _error = dry_json(OPENGRAPH)
    assert page["title"] == "Hallenbad öffnet nach Sanierung wieder"
    assert page["authors"] == ["Miriam Schulte"]
    assert page["date"] == "2024-09-20T16:45:00+02:00"
    assert page["lead"] == (
        "Nach zwei Jahren Bauzeit können Schwimmer ab Samstag wieder ins Hallenbad am Stadtpark."
    )
    assert len(page["body"].split("\n\n")) == 3
    assert "Teilen" not in page["body"] and "Hauptstraße 5" not in page["body"]


def test_page_without_metadata_in_windows_1252(db):
    [page], _err, _error = dry_json(PLAIN)
    assert page["title"] == "Stadtbücherei verlängert Öffnungszeiten"
    assert page["kicker"] == "Bildung"
    assert page["authors"] == ["Anna Berg", "Tim Roth"]
    assert page["date"] == "2024-05-04T09:15:00+02:00"
    assert page["lead"].startswith("Die Stadtbücherei hat ab Juni")
    assert page["body"].split("\n\n")[-1] == (
        "Die Büchereileiterin rechnet mit deutlich mehr Besuchern am Abend, vor allem Schüler "
        "und Berufstätige."
    )


def test_dry_run_json_writes_nothing_and_names_a_broken_page(db):
    pages, err, error = dry_json(JSONLD, BROKEN, PLAIN)
    assert error is None
    assert [page["file"] for page in pages] == [str(JSONLD), str(PLAIN)]
    assert f"{BROKEN}: no article found (headline or text missing)" in err
    assert not ImportedItem.objects.exists() and not ArticlePage.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot be read"),
        (b"%PDF-1.4\x00\x01\x02", "not an HTML page (binary data)"),
        (b"Nur ein Satz ohne jedes Markup.", "not an HTML page"),
        (b"<html><body><p>" + b"x" * (6 * 1024 * 1024) + b"</p></body></html>", "larger than"),
    ],
)
def test_unusable_pages_get_a_clear_error(db, tmp_path, content, message):
    path = tmp_path / "seite.html"
    if content is not None:
        path.write_bytes(content)
    _out, err, error = dry_json(path)
    assert error == "No page could be read."
    assert str(path) in err and message in err


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def site(tmp_path):
    """The fixture pages and a sitemap naming two of them, served on loopback."""
    root = tmp_path / "site"
    shutil.copytree(PAGES, root)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    base = f"http://127.0.0.1:{server.server_address[1]}"
    sitemap = root / "sitemap.xml"
    sitemap.write_text(sitemap.read_text().replace("BASE", base))
    (root / "index.xml").write_text(
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{base}/sitemap.xml</loc></sitemap></sitemapindex>"
    )
    (root / "bombe.xml").write_text(
        '<?xml version="1.0"?><!DOCTYPE u [<!ENTITY a "aaaaaaaa">]><urlset>&a;</urlset>'
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def test_addresses_and_sitemaps_over_http(db, site):
    pages, _err, error = dry_json(f"{site}/artikel-schlicht.htm", "--sitemap", f"{site}/index.xml")
    assert error is None
    assert [page["url"] for page in pages] == [
        f"{site}/artikel-schlicht.htm",
        f"{site}/artikel-jsonld.htm",
        f"{site}/artikel-opengraph.htm",
    ]
    assert pages[2]["authors"] == ["Miriam Schulte"]


def test_bad_sitemaps_and_missing_pages(db, site):
    _out, _err, error = dry_json("--sitemap", f"{site}/bombe.xml")
    assert f"{site}/bombe.xml: not a readable sitemap" in error
    _out, _err, error = dry_json("--sitemap", f"{site}/artikel-jsonld.htm")
    assert "not a readable sitemap" in error
    _out, err, error = dry_json(f"{site}/fehlt.html")
    assert f"{site}/fehlt.html: " in err and "404" in err
    assert error == "No page could be read."


@pytest.fixture
def ressorts(home_page):
    return {
        "lokales": RessortPageFactory(parent=home_page, title="Lokales", slug="lokales"),
        "vermischtes": RessortPageFactory(
            parent=home_page, title="Vermischtes", slug="vermischtes"
        ),
    }


@pytest.fixture
def media(tmp_path):
    folder = tmp_path / "bilder-archiv"
    (folder / "bilder").mkdir(parents=True)
    PILImage.new("RGB", (90, 50), "#228844").save(folder / "bilder" / "radweg.png")
    return folder


def imported(media, *pages):
    return run(
        *pages,
        "--fallback-ressort",
        "Vermischtes",
        "--media",
        media,
        "--no-download",
        "--no-progress",
    )


def article(address: str) -> ArticlePage:
    return ArticlePage.objects.get(pk=ImportedItem.objects.get(key=f"page:{address}").object_id)


def test_pages_become_articles_and_a_rerun_changes_nothing(ressorts, media, client):
    out, err, error = imported(media, JSONLD, OPENGRAPH, PLAIN, BROKEN)
    assert error is None
    assert "Created 3, updated 0, unchanged 0, skipped 1, failed 0; pictures missing 1." in out
    assert f"{BROKEN}: no article found" in err

    radwege = article("https://zeitung.example/lokales/neue-radwege-fuer-die-innenstadt-100.html")
    assert radwege.get_parent().specific == ressorts["lokales"]  # articleSection
    assert radwege.kicker == "Verkehrswende"
    assert [a.name for a in radwege.authors] == ["Lena Hoffmann", "Jonas Weber"]
    assert radwege.first_published_at == datetime(2024, 5, 14, 4, 0, tzinfo=UTC)
    assert radwege.updated_at == datetime(2024, 5, 14, 9, 20, tzinfo=UTC)
    assert radwege.lead_image.width == 90
    assert (
        radwege.lead_image_caption == "Der Radweg an der Ringstraße soll doppelt so breit werden."
    )
    assert sorted(t.name for t in radwege.topics.all()) == ["Radwege", "Stadtrat", "Verkehr"]
    # The lead is the Vorspann, not the body's first paragraph again.
    assert radwege.body[0].value.source.startswith("<p>Vor allem die Ringstraße")
    assert [block.block_type for block in radwege.body][:3] == [
        "paragraph",
        "subheading",
        "paragraph",
    ]
    response = client.get("/lokales/neue-radwege-fuer-die-innenstadt-100.html")
    assert response.status_code == 301
    assert response["Location"].endswith("/lokales/neue-radwege-fuer-die-innenstadt/")

    bad = article(str(PLAIN))
    assert bad.get_parent().specific == ressorts["vermischtes"]
    assert bad.kicker == "Bildung"
    assert Redirect.objects.count() == 2  # the file has no old address

    out, _err, _error = imported(media, JSONLD, OPENGRAPH, PLAIN)
    assert "Created 0, updated 0, unchanged 3" in out
    assert ArticlePage.objects.count() == 3


def test_import_dry_run_counts_and_writes_nothing(ressorts, media):
    out, _err, error = run(JSONLD, PLAIN, "--dry-run", "--fallback-ressort", "Vermischtes")
    assert error is None
    assert "Dry run: nothing was written." in out
    assert "Created 2, updated 0, unchanged 0" in out
    assert not ArticlePage.objects.exists()


def test_json_needs_dry_run(db):
    _out, _err, error = run(JSONLD, "--json")
    assert error == "--json prints what would be imported: use it with --dry-run."


def test_a_title_is_cut_only_at_the_site_name():
    page = (
        "<html><head><title>Bayern - Dortmund 2:1</title></head><body><h1>Das Spiel</h1>"
        "<p>Ein langer Absatz über das Spiel am Samstagabend im ausverkauften Stadion.</p>"
        "</body></html>"
    )
    assert extract(page.replace("<h1>Das Spiel</h1>", "")).title == "Bayern - Dortmund 2:1"
    suffixed = page.replace("Bayern - Dortmund 2:1", "Das Spiel | Sportblatt")
    assert extract(suffixed.replace("<h1>Das Spiel</h1>", "")).title == "Das Spiel | Sportblatt"
    og = '<meta property="og:title" content="Das Spiel – Sportblatt">'
    assert extract(page.replace("<head>", f"<head>{og}")).title == "Das Spiel"


def test_german_dates_in_a_byline():
    assert parse_date("Von Anna Berg, 3. März 2024, 7:05 Uhr") == datetime(
        2024, 3, 3, 6, 5, tzinfo=UTC
    )
    assert parse_date("2024-07-01") == datetime(2024, 6, 30, 22, 0, tzinfo=UTC)
    assert parse_date("kein Datum") is None


def test_the_site_is_no_author_and_a_lead_above_the_text_belongs_to_it():
    page = extract(
        '<html><head><meta property="og:site_name" content="Kreisblatt">'
        '<meta name="author" content="Ute Kern, Kreisblatt"></head><body>'
        '<div class="article__head"><h1>Markt öffnet</h1><p class="article__intro">Der neue '
        "Wochenmarkt öffnet am Samstag auf dem Kirchplatz.</p></div>"
        '<div class="article__content"><p>Zwanzig Stände bieten Obst, Gemüse und Käse aus der '
        "Region an. Der Markt ist jeden Samstag von acht bis dreizehn Uhr geöffnet.</p>"
        "<p>Parkplätze gibt es am Rathaus, die Busse fahren wie gewohnt alle zwanzig "
        "Minuten.</p></div></body></html>"
    )
    assert page.authors == ["Ute Kern"]
    assert (
        page.body.split("\n\n")[0] == "Der neue Wochenmarkt öffnet am Samstag auf dem Kirchplatz."
    )
    assert len(page.body.split("\n\n")) == 3
