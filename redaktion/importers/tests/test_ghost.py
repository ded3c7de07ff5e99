"""``redaktion import ghost``: the Ghost 5 export written for these tests (fixtures/ghost-5.json)
holds a Lexical post with a feature image, a Mobiledoc post, an HTML-only post, a draft, a
scheduled post, a page, and four posts that must be left out: a duplicate slug, a missing
slug, a newsletter-only status and unreadable Lexical JSON."""

import json
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
from wagtail.images import get_image_model

from redaktion.importers.ghost import ghost_import
from redaktion.importers.models import ImportedItem
from redaktion.importers.services import Options
from redaktion.news.factories import RessortPageFactory
from redaktion.news.models import ArticlePage, Author, StandardPage, Topic

EXPORT = Path(__file__).parent / "fixtures" / "ghost-5.json"
SUMMARY = "Created 6, updated 0, unchanged 0, skipped 4, failed 0; pictures missing 1."


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
    folder = tmp_path / "content" / "images"
    (folder / "2024" / "03").mkdir(parents=True)
    PILImage.new("RGB", (80, 45), "#aa6633").save(folder / "2024" / "03" / "rathaus.png")
    PILImage.new("RGB", (64, 36), "#3366aa").save(folder / "2024" / "03" / "platz.png")
    return folder


def run(path, *extra, language="en"):
    out, err = StringIO(), StringIO()
    try:
        with translation.override(language):
            call_command("redaktion_import", "ghost", str(path), *extra, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), str(error)
    return out.getvalue(), err.getvalue(), None


def imported(media, path=EXPORT, *extra):
    return run(
        path, "--fallback-ressort", "Vermischtes", "--media", str(media), "--no-progress", *extra
    )


def page(ghost_id: str, model=ArticlePage):
    item = ImportedItem.objects.get(source="ghost", key=f"post:65f0a1b2c3d4e5f6010000{ghost_id}")
    return model.objects.get(pk=item.object_id)


def test_posts_and_pages_come_over_with_state_dates_and_places(ressorts, media):
    out, err, error = imported(media)
    assert error is None
    assert SUMMARY in out
    assert "skipped, duplicate slug: 1" in out
    assert "skipped, required field missing: 1" in out
    assert "skipped, status “sent”: 1" in out
    assert "skipped, unreadable content: 1" in out
    # Each item left out is named with the file and the reason.
    assert (
        f"{EXPORT}: „Rathausplatz: die zweite Fassung“ (ID 65f0a1b2c3d4e5f601000007): the slug "
        "“rathausplatz-wird-gruener” is used by „Rathausplatz wird grüner“" in err
    )
    assert (
        f"{EXPORT}: „Ohne Adresse“ (ID 65f0a1b2c3d4e5f601000008): required field missing: slug"
        in err
    )

    lexical = page("01")
    assert lexical.live and lexical.slug == "rathausplatz-wird-gruener"
    assert lexical.first_published_at == datetime(2024, 3, 12, 8, 30, tzinfo=UTC)
    assert lexical.get_parent().specific == ressorts["lokales"]  # the primary tag
    assert sorted(t.name for t in lexical.topics.all()) == ["Stadtrat", "Verkehr"]
    assert [a.name for a in lexical.authors] == ["Katrin Vogt", "Emil Brandt"]
    assert lexical.lead == "Der Stadtrat beschließt den Umbau des Rathausplatzes."
    assert lexical.lead_image.width == 80
    assert lexical.lead_image_caption == "Das Rathaus. Foto: Emil Brandt"

    mobiledoc = page("02")
    assert mobiledoc.get_parent().specific == ressorts["vermischtes"]  # Kultur: fallback
    assert mobiledoc.lead == "Das Stadttheater zeigt im Frühjahr drei neue Stücke."

    html_only = page("03")
    # A date without a zone is read in Europe/Berlin (CET in November).
    assert html_only.first_published_at == datetime(2023, 11, 2, 6, 15, tzinfo=UTC)

    draft = page("04")
    assert not draft.live and draft.first_published_at is None

    scheduled = page("05")
    assert not scheduled.live and scheduled.go_live_at == datetime(2099, 7, 1, 8, 0, tzinfo=UTC)
    assert scheduled.scheduled_revision is not None

    impressum = page("06", StandardPage)
    assert impressum.live and impressum.get_parent().specific.depth == 2
    assert impressum.body == (
        "<h2>Herausgeber</h2>\n<p>Stadtanzeiger GmbH, Marktstraße 1, 12345 Musterstadt</p>"
    )
    assert Author.objects.get(name="Katrin Vogt").slug == "katrin-vogt"


def test_lexical_content_becomes_sanitised_blocks(ressorts, media):
    imported(media)
    body = page("01").body
    assert [block.block_type for block in body] == [
        "paragraph",
        "paragraph",
        "subheading",
        "quote",
        "paragraph",
        "image",
        "embed",
        "paragraph",
    ]
    assert body[1].value.source == (
        "<p>Geplant sind <strong>mehr Bäume</strong>, breitere Gehwege und ein "
        '<a href="https://stadtanzeiger.example/brunnen/">neuer Brunnen</a>.'
        "<br/>Autos dürfen nur noch zum Liefern auf den Platz.</p>"
    )
    assert body[2].value == "Was die Anlieger sagen"
    assert body[3].value["text"] == "Endlich wird der Platz wieder ein Ort zum Verweilen."
    assert (
        body[4].value.source == "<ul><li>Baustart im Mai</li><li>Fertig bis Weihnachten</li></ul>"
    )
    assert body[5].value["caption"] == "Der Rathausplatz im März"
    assert body[5].value["image"].width == 64
    assert body[6].value["url"] == "https://www.youtube.com/watch?v=rathaus1"
    assert body[6].value["caption"] == "Die Pläne im Video"
    last = body[7].value.source
    assert "script" not in last and "onclick" not in last and "javascript" not in last
    assert "Archiv" in last


def test_mobiledoc_content_becomes_blocks(ressorts, media):
    imported(media)
    body = page("02").body
    assert [block.block_type for block in body] == [
        "paragraph",
        "subheading",
        "paragraph",
        "paragraph",
        "paragraph",
    ]
    assert body[0].value.source == (
        "<p>Das Stadttheater zeigt im Frühjahr <strong>drei neue Stücke</strong>.</p>"
    )
    assert body[2].value.source == (
        '<p>Karten gibt es an der <a href="https://stadtanzeiger.example/theater/">'
        "Theaterkasse</a><br/>und online.</p>"
    )
    assert (
        body[3].value.source == "<ol><li>Premiere am Freitag</li><li>Matinee am Sonntag</li></ol>"
    )
    # The picture is in no folder and cannot be downloaded: its caption stays.
    assert body[4].value.source == "<p>Das Ensemble bei der Probe</p>"


def test_old_addresses_redirect(ressorts, media, client):
    imported(media)
    response = client.get("/rathausplatz-wird-gruener/")
    assert response.status_code == 301
    assert response["Location"].endswith("/lokales/rathausplatz-wird-gruener/")
    # The page keeps its address (/impressum/); drafts and scheduled posts had none.
    assert sorted(Redirect.objects.values_list("old_path", flat=True)) == [
        "/drei-premieren",
        "/rathausplatz-wird-gruener",
        "/wochenmarkt-zieht-um",
    ]


def test_second_run_changes_nothing_and_a_changed_post_is_updated(ressorts, media, tmp_path):
    imported(media)
    counts = (ArticlePage.objects.count(), Author.objects.count(), Topic.objects.count())
    images = get_image_model().objects.count()

    out, _err, _error = imported(media)
    assert "Created 0, updated 0, unchanged 6, skipped 4" in out
    assert (ArticlePage.objects.count(), Author.objects.count(), Topic.objects.count()) == counts
    assert get_image_model().objects.count() == images

    changed = tmp_path / "changed.json"
    changed.write_text(EXPORT.read_text().replace("Wochenmarkt zieht um", "Wochenmarkt zieht aus"))
    out, _err, _error = imported(media, changed)
    assert "Created 0, updated 1, unchanged 5" in out
    assert page("03").title == "Wochenmarkt zieht aus"
    assert ArticlePage.objects.count() == counts[0]


def test_dry_run_writes_nothing(ressorts, media):
    out, _err, error = imported(media, EXPORT, "--dry-run")
    assert error is None
    assert "Dry run: nothing was written." in out
    assert "Created 6, updated 0, unchanged 0, skipped 4" in out
    assert not ImportedItem.objects.exists()
    assert not ArticlePage.objects.exists()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def image_server(media):
    """The pictures folder served on loopback, as the Ghost site would serve it."""
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(_Quiet, directory=str(media.parent.parent))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_pictures_are_downloaded_from_the_site(ressorts, image_server):
    out, err, _error = run(
        EXPORT, "--fallback-ressort", "Vermischtes", "--site-url", image_server, "--no-progress"
    )
    assert SUMMARY in out  # fehlt.jpg: 404, the import goes on
    assert f"{image_server}/content/images/2024/02/fehlt.jpg: " in err
    assert page("01").lead_image.width == 80


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot be read"),
        ("Das ist keine JSON-Datei.", "not valid JSON (line 1, column 1"),
        ('{"db": [{"meta": {}, "data": {"posts": [{"id": "1"', "the JSON ends too early"),
        ('{"posts": []}', "not a Ghost export"),
        ('{"db": [{"data": {"posts": {"id": 1}}}]}', "not a Ghost export"),
        ("ÄÖÜ".encode("latin-1"), "not UTF-8 text"),
    ],
)
def test_unusable_files_get_a_clear_error(db, tmp_path, content, message):
    path = tmp_path / "export.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    _out, _err, error = run(path, "--no-progress")
    assert str(path) in error
    assert message in error
    assert not ImportedItem.objects.exists()


def test_a_huge_body_is_skipped_with_its_size(ressorts, media, tmp_path):
    data = json.loads(EXPORT.read_text())
    data["db"][0]["data"]["posts"][2]["html"] = "<p>" + "Sehr lang. " * 300_000 + "</p>"
    huge = tmp_path / "huge.json"
    huge.write_text(json.dumps(data))
    out, err, _error = imported(media, huge)
    assert "Created 5, updated 0, unchanged 0, skipped 5" in out
    assert "„Wochenmarkt zieht um“ (ID 65f0a1b2c3d4e5f601000003): the body is 3300007" in err


def test_the_summary_speaks_german(ressorts, media):
    out, err, _error = run(
        EXPORT,
        "--fallback-ressort",
        "vermischtes",
        "--media",
        str(media),
        "--no-progress",
        language="de",
    )
    assert "Angelegt 6, aktualisiert 0, unverändert 0, übersprungen 4" in out
    assert "doppelter Slug" in out
    assert "übersprungen: " in err


def test_a_rerun_reads_each_item_once(ressorts, media, django_assert_num_queries):
    options = Options(fallback_ressort="Vermischtes", media=media)
    ghost_import(path=EXPORT, options=options, fetch=False)
    # The Ressorts once, then per item its transaction (savepoint and release), its
    # ImportedItem row and its page: 1 + 6 × 4.
    with django_assert_num_queries(25):
        summary = ghost_import(path=EXPORT, options=options, fetch=False)
    assert summary.unchanged == 6


def test_a_scheduled_post_without_its_date_is_skipped(ressorts, media, tmp_path):
    data = json.loads(EXPORT.read_text())
    data["db"][0]["data"]["posts"][4]["published_at"] = None
    path = tmp_path / "ohne-datum.json"
    path.write_text(json.dumps(data))
    out, err, _error = imported(media, path)
    assert "Created 5, updated 0, unchanged 0, skipped 5" in out
    assert (
        "„Sommerfest im Juli“ (ID 65f0a1b2c3d4e5f601000005): required field missing: published_at"
        in err
    )


def test_a_truncated_export_stops_before_writing_anything(ressorts, media):
    truncated = EXPORT.parent / "ghost-truncated.json"
    _out, _err, error = imported(media, truncated)
    assert error == f"{truncated}: the JSON ends too early; the file is truncated."
    assert not ImportedItem.objects.exists()
