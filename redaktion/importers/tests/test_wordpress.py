"""``redaktion import wordpress``: the fixture export written for these tests
(fixtures/classic-1.2.xml) holds a classic post, a scheduled Gutenberg post, a draft, a
post without content, an attachment and a page (which becomes a standard page)."""

from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from PIL import Image as PILImage
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model

from redaktion.importers.models import ImportedItem
from redaktion.news.factories import RessortPageFactory
from redaktion.news.models import ArticlePage, Author, Topic
from redaktion.notifications.models import Announcement, Delivery
from redaktion.notifications.tests.helpers import subscriber

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT = FIXTURES / "classic-1.2.xml"


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
    folder = tmp_path / "uploads"
    (folder / "2024" / "03").mkdir(parents=True)
    PILImage.new("RGB", (64, 36), "#3366aa").save(folder / "2024" / "03" / "bruecke.png")
    return folder


def run(path, *extra, language="en"):
    out, err = StringIO(), StringIO()
    try:
        with translation.override(language):
            call_command("redaktion_import", "wordpress", str(path), *extra, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), str(error)
    return out.getvalue(), err.getvalue(), None


def imported(media, path=EXPORT, *extra):
    return run(
        path, "--fallback-ressort", "Vermischtes", "--media", str(media), "--no-progress", *extra
    )


def article(post_id: int) -> ArticlePage:
    item = ImportedItem.objects.get(key=f"post:{post_id}")
    return ArticlePage.objects.get(pk=item.object_id)


def test_posts_become_articles_with_their_state_dates_and_places(ressorts, media):
    out, err, error = imported(media)

    assert "Created 4, updated 0, unchanged 0, skipped 1, failed 1" in out
    assert "„Ohne Inhalt“ (ID 104): the post has no content" in err
    assert error == f"{EXPORT}: 1 items could not be imported."

    published = article(101)
    assert published.live
    assert published.first_published_at == datetime(2024, 3, 12, 8, 30, tzinfo=UTC)
    assert published.get_parent().specific == ressorts["lokales"]
    assert published.slug == "neue-bruecke"
    assert published.lead == "Der Gemeinderat beschließt eine neue Fußgängerbrücke."
    assert [a.name for a in published.authors] == ["Jana Meier"]
    assert sorted(t.name for t in published.topics.all()) == ["Gemeinderat", "Verkehr"]

    scheduled = article(102)
    assert not scheduled.live
    assert scheduled.go_live_at == datetime(2099, 7, 1, 8, 0, tzinfo=UTC)
    assert scheduled.scheduled_revision is not None
    assert scheduled.get_parent().specific == ressorts["vermischtes"]
    assert scheduled.lead.startswith("Das Stadtfest kehrt zurück")
    assert [a.name for a in scheduled.authors] == ["Tobias Krause"]

    draft = article(103)
    assert not draft.live and draft.first_published_at is None and draft.go_live_at is None
    assert draft.slug == "entwurf-haushalt-2025"
    assert Author.objects.get(name="Jana Meier").slug == "jana-meier"
    assert "pictures missing 1" in out  # fehlt.jpg is not in the uploads folder


def test_classic_content_becomes_sanitised_blocks(ressorts, media):
    imported(media)
    body = article(101).body
    assert [block.block_type for block in body] == [
        "paragraph",
        "paragraph",
        "subheading",
        "image",
        "quote",
        "paragraph",
        "paragraph",
    ]
    assert body[1].value.source == (
        "<p>Die Arbeiten sollen im <strong>Herbst</strong> beginnen, "
        "sagte die Bürgermeisterin.<br/>Die Kosten trägt zum Teil das Land.</p>"
    )
    assert body[2].value == "Was sich für Anwohner ändert"
    assert body[3].value["caption"] == "Die alte Brücke im Februar"
    assert body[3].value["image"].width == 64
    assert body[4].value["text"] == "Wir haben lange genug gewartet."
    assert body[4].value["attribution"] == "Eine Anwohnerin"
    assert "<li>Umleitung über die Hauptstraße</li>" in body[5].value.source
    last = body[6].value.source
    assert "script" not in last and "alert" not in last and "onclick" not in last
    assert '<a href="https://kreisbote.example/rat/">beim Rat</a>' in last


def test_gutenberg_blocks_become_blocks(ressorts, media):
    imported(media)
    body = article(102).body
    assert [block.block_type for block in body] == [
        "paragraph",
        "subheading",
        "quote",
        "paragraph",
        "paragraph",
        "embed",
    ]
    assert body[2].value["attribution"] == "Der Festausschuss"
    assert body[3].value.source.startswith("<ol><li>Freitag: Eröffnung</li>")
    # The missing picture leaves its caption behind.
    assert body[4].value.source == "<p>Der Marktplatz im Vorjahr</p>"
    assert body[5].value["url"] == "https://www.youtube.com/watch?v=abc123"
    assert body[5].value["caption"] == "Ein Rückblick im Video"


def test_old_permalink_redirects_to_the_article(ressorts, media, client):
    imported(media)
    response = client.get("/2024/03/12/neue-bruecke/")
    assert response.status_code == 301
    assert response["Location"].endswith("/lokales/neue-bruecke/")
    # Drafts and scheduled posts had no public address to keep.
    assert Redirect.objects.count() == 1


def test_second_run_changes_nothing_and_a_changed_post_is_updated(ressorts, media, tmp_path):
    imported(media)
    counts = (ArticlePage.objects.count(), Author.objects.count(), Topic.objects.count())
    images = get_image_model().objects.count()

    out, _err, _error = imported(media)
    assert "Created 0, updated 0, unchanged 4, skipped 1, failed 1" in out
    assert (ArticlePage.objects.count(), Author.objects.count(), Topic.objects.count()) == counts
    assert get_image_model().objects.count() == images

    changed = tmp_path / "changed.xml"
    changed.write_text(
        EXPORT.read_text().replace("Neue Brücke über die Wiese", "Neue Brücke über die Aue")
    )
    out, _err, _error = imported(media, changed)
    assert "Created 0, updated 1, unchanged 3" in out
    assert article(101).title == "Neue Brücke über die Aue"
    assert article(101).first_published_at == datetime(2024, 3, 12, 8, 30, tzinfo=UTC)
    assert ArticlePage.objects.count() == counts[0]
    assert Redirect.objects.count() == 1


def test_an_interrupted_run_resumes_without_duplicates(ressorts, media, tmp_path):
    text = EXPORT.read_text()
    truncated = tmp_path / "truncated.xml"
    # The file ends inside the second post, as a copy cut off mid-transfer does.
    truncated.write_text(text[: text.index("Das Stadtfest kehrt zurück")])

    _out, _err, error = imported(media, truncated)
    assert "not well-formed XML" in error
    assert list(
        ImportedItem.objects.filter(key__startswith="post:").values_list("key", flat=True)
    ) == ["post:101"]

    out, _err, _error = imported(media)
    assert "Created 3, updated 0, unchanged 1" in out
    assert ArticlePage.objects.count() == 3
    assert ArticlePage.objects.filter(slug="neue-bruecke").count() == 1


def test_mapping_file_names_the_ressort(ressorts, media, tmp_path):
    mapping = tmp_path / "kategorien.csv"
    mapping.write_text("# Kategorie;Ressort\nkultur;Lokales\npolitik;lokales\n")
    run(EXPORT, "--map", str(mapping), "--media", str(media), "--no-progress")
    assert article(102).get_parent().specific == ressorts["lokales"]
    assert article(103).get_parent().specific == ressorts["lokales"]


def test_without_a_ressort_the_post_fails_with_the_reason(ressorts, media):
    _out, err, error = run(EXPORT, "--no-progress")
    assert "„Stadtfest im Juli“ (ID 102): no Ressort for the categories Kultur" in err
    assert error == f"{EXPORT}: 3 items could not be imported."
    assert article(101).live


def test_wxr_1_0_without_author_blocks(ressorts, media, tmp_path):
    text = EXPORT.read_text().replace("export/1.2/", "export/1.0/")
    old = tmp_path / "old.xml"
    old.write_text(text.replace("<wp:author>", "<wp:x>").replace("</wp:author>", "</wp:x>"))
    out, _err, _error = imported(media, old)
    assert "Created 4" in out
    assert [a.name for a in article(101).authors] == ["jmeier"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("Das ist keine XML-Datei.", "not well-formed XML"),
        ('<?xml version="1.0"?><rss><channel><item/></channel></rss>', "not a WordPress export"),
        (
            '<rss xmlns:wp="http://wordpress.org/export/2.0/"><channel/></rss>',
            "WXR version 2.0 is not supported",
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]>'
            '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>&a;</channel></rss>',
            "refused",
        ),
    ],
)
def test_unusable_files_get_a_clear_error(db, tmp_path, content, message):
    path = tmp_path / "export.xml"
    if content is not None:
        path.write_text(content)
    _out, _err, error = run(path, "--no-progress")
    assert str(path) in error
    assert message in error
    assert not ImportedItem.objects.exists()


def test_a_broken_mapping_file_names_its_line(db, tmp_path):
    mapping = tmp_path / "kategorien.csv"
    mapping.write_text("kultur;Lokales\nnur-eine-spalte\n")
    _out, _err, error = run(EXPORT, "--map", str(mapping))
    assert error == f"{mapping}, line 2: expected “category;Ressort”."


def test_the_summary_speaks_german(ressorts, media):
    out, err, error = run(
        EXPORT, "--fallback-ressort", "vermischtes", "--no-progress", language="de"
    )
    assert "Angelegt 4, aktualisiert 0, unverändert 0, übersprungen 1, fehlgeschlagen 1" in out
    assert "„Ohne Inhalt“ (ID 104): der Beitrag hat keinen Inhalt" in err
    assert error == f"{EXPORT}: 1 Einträge konnten nicht importiert werden."


def test_followers_get_no_alert_for_posts_published_at_the_source(ressorts, media, run_tasks):
    reader = subscriber("leserin@example.org", ressorts["lokales"], ressorts["vermischtes"])
    with run_tasks():
        imported(media)
    published = ArticlePage.objects.published()
    assert published.exists()
    assert not Delivery.objects.filter(subscriber=reader).exists()
    assert set(Announcement.objects.values_list("article_id", flat=True)) == set(
        published.values_list("pk", flat=True)
    )
