"""Featured images → lead images, WordPress pages → standard pages. The fixture export
(fixtures/featured-pages-1.2.xml) holds three posts with a featured image each (one in the
uploads folder on another host, one outside any uploads folder, one whose attachment is not
in the file), the attachments after the posts that name them, with captions, alt texts and
credits in serialised post meta, and three pages (a published one, a nested one, a draft)."""

import io
from datetime import UTC, datetime
from unittest import mock

import pytest
from PIL import Image as PILImage

from redaktion.importers import attachments
from redaktion.importers.attachments import download, serialized_string
from redaktion.importers.models import ImportedItem
from redaktion.importers.pages import page_body
from redaktion.news.models import StandardPage

from .test_wordpress import FIXTURES, article, imported, ressorts  # noqa: F401 (fixtures)

EXPORT = FIXTURES / "featured-pages-1.2.xml"


def png() -> bytes:
    data = io.BytesIO()
    PILImage.new("RGB", (48, 32), "#aa3366").save(data, "PNG")
    return data.getvalue()


@pytest.fixture
def media(tmp_path):
    folder = tmp_path / "uploads"
    (folder / "2024" / "05").mkdir(parents=True)
    (folder / "2024" / "05" / "rathaus.png").write_bytes(png())
    return folder


class Response(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def page(post_id: int) -> StandardPage:
    return StandardPage.objects.get(pk=ImportedItem.objects.get(key=f"page:{post_id}").object_id)


def test_featured_images_become_lead_images_with_caption_and_credit(ressorts, media):  # noqa: F811
    out, err, error = imported(media, EXPORT)
    assert error is None, err
    assert "Created 6, updated 0, unchanged 0, skipped 2, failed 0; pictures missing 2" in out

    rathaus = article(201)
    assert rathaus.lead_image.width == 48
    assert rathaus.lead_image.description == "Rathaus mit Gerüst"
    assert rathaus.lead_image_caption == "Das sanierte Rathaus am Markt"
    assert rathaus.lead_image_credit == "Jörg Maier/Kreisbote"
    # Outside any uploads folder and not downloaded; an attachment the file lacks.
    assert article(202).lead_image is None
    assert article(203).lead_image is None and article(203).live


def test_a_featured_image_elsewhere_is_downloaded_when_asked(ressorts, media):  # noqa: F811
    with mock.patch.object(attachments, "urlopen", return_value=Response(png())) as fetch:
        out, _err, _error = imported(media, EXPORT, "--download")
    assert "pictures missing 1" in out
    request = fetch.call_args.args[0]
    assert request.full_url == "https://bilder.example.org/archiv/markt.png"
    assert fetch.call_args.kwargs["timeout"] == attachments.TIMEOUT
    markt = article(202)
    assert markt.lead_image.width == 48
    assert (markt.lead_image_caption, markt.lead_image_credit) == (
        "Der Wochenmarkt",
        "© Stadtarchiv",
    )


def test_a_download_that_fails_or_is_too_large_is_none():
    with mock.patch.object(attachments, "urlopen", side_effect=TimeoutError("timed out")):
        assert download("https://bilder.example.org/a.png") is None
    with mock.patch.object(attachments, "urlopen", return_value=Response(b"x" * 11)):
        assert download("https://bilder.example.org/a.png", limit=10) is None
    with mock.patch.object(attachments, "urlopen", return_value=Response(b"x" * 10)):
        assert download("https://bilder.example.org/a.png", limit=10) == b"x" * 10
    assert download("file:///etc/passwd") is None


def test_serialised_meta_is_read_by_byte_length():
    data = 'a:1:{s:10:"image_meta";a:2:{s:6:"credit";s:6:"Jörg";s:5:"title";s:1:"x";}}'
    assert serialized_string(data, "credit") == ""  # "Jörg" is 5 bytes, not 6: broken
    data = data.replace('s:6:"Jörg"', 's:5:"Jörg"')
    assert serialized_string(data, "credit") == "Jörg"
    assert serialized_string(data, "copyright") == ""


def test_pages_become_standard_pages_under_the_home_page(ressorts, media, home_page, client):  # noqa: F811
    imported(media, EXPORT)
    impressum = page(11)
    assert impressum.get_parent().pk == home_page.pk
    assert impressum.live and impressum.slug == "impressum"
    assert impressum.first_published_at == datetime(2023, 1, 10, 10, 0, tzinfo=UTC)
    assert impressum.body.startswith(
        "<h2>Herausgeber</h2>\n<p>Kreisbote GmbH<br/>Musterstraße 1</p>\n"
        '<p>Kontakt: <a href="mailto:info@kreisbote.example">'
    )
    assert "track" not in impressum.body

    team = page(12)
    assert team.slug == "team" and "<strong>zwölf</strong>" in team.body and "img" not in team.body
    response = client.get("/ueber-uns/team/")
    assert response.status_code == 301
    assert response["Location"].endswith("/team/")
    assert client.get("/impressum/").status_code == 200
    assert not page(13).live


def test_a_second_run_leaves_pages_and_lead_images_alone(ressorts, media):  # noqa: F811
    imported(media, EXPORT)
    out, _err, _error = imported(media, EXPORT)
    assert "Created 0, updated 0, unchanged 6" in out

    changed = media.parent / "changed.xml"
    changed.write_text(EXPORT.read_text().replace("Das sanierte Rathaus", "Das neue Rathaus"))
    out, _err, _error = imported(media, changed)
    assert "Created 0, updated 1, unchanged 5" in out
    assert article(201).lead_image_caption == "Das neue Rathaus am Markt"


def test_page_body_keeps_only_what_a_standard_page_allows():
    html = '<h4>Alt</h4><p onclick="x()">Text <em>kursiv</em></p><iframe src="https://x"></iframe>'
    assert page_body(html) == "<h3>Alt</h3><p>Text <em>kursiv</em></p>"
