"""Bad WordPress exports: what makes the whole file unusable stops with the file and the
reason; what breaks one item skips it with its title, id and reason, and the rest arrives.
(Not a WXR, malformed XML, an unknown version and an entity bomb: test_wordpress.py;
a truncated file: its resume tests.)"""

import pytest

from redaktion.importers.models import ImportedItem
from redaktion.news.models import ArticlePage

from .test_wordpress import article, imported, media, ressorts, run  # noqa: F401 (fixtures)

HEAD = """<?xml version="1.0" encoding="{encoding}"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/"
 xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/">
<channel><title>Kreisbote</title><wp:base_site_url>https://kreisbote.example</wp:base_site_url>
"""
ITEM = """<item><title>{title}</title><link>https://kreisbote.example/{slug}/</link>
{creator}<content:encoded><![CDATA[{content}]]></content:encoded>
{post_id}<wp:post_date_gmt>2024-02-01 08:00:00</wp:post_date_gmt>
<wp:post_name>{slug}</wp:post_name><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
<category domain="category" nicename="lokales">Lokales</category></item>
"""


def item(n, *, title=None, slug=None, content="<p>Text.</p>", creator=True, post_id=True):
    return ITEM.format(
        title=title or f"Meldung {n}",
        slug=slug or f"meldung-{n}",
        content=content,
        creator="<dc:creator>jmeier</dc:creator>" if creator else "",
        post_id=f"<wp:post_id>{n}</wp:post_id>" if post_id else "",
    )


def export(path, *items, encoding="UTF-8", codec="utf-8"):
    path.write_bytes(
        (HEAD.format(encoding=encoding) + "".join(items) + "</channel></rss>").encode(codec)
    )
    return path


def test_a_file_in_the_wrong_encoding_names_the_file(db, tmp_path):
    # Declared UTF-8, written in Latin-1: "Brücke" is not UTF-8.
    path = export(tmp_path / "latin1.xml", item(1, title="Brücke"), codec="latin-1")
    _out, _err, error = run(path, "--no-progress")
    assert error.startswith(f"{path}: not well-formed XML (not well-formed (invalid token): line")
    assert not ImportedItem.objects.exists()


def test_a_file_declaring_latin_1_is_read_as_such(ressorts, media, tmp_path):  # noqa: F811
    path = export(
        tmp_path / "latin1.xml", item(1, title="Brücke"), encoding="ISO-8859-1", codec="latin-1"
    )
    out, _err, error = imported(media, path)
    assert error is None and "Created 1" in out
    assert article(1).title == "Brücke"


def test_items_missing_required_fields_are_skipped_with_the_reason(ressorts, media, tmp_path):  # noqa: F811
    path = export(
        tmp_path / "missing.xml",
        item(1, creator=False),
        item(2, post_id=False),
        item(3, content=""),
        item(4),
    )
    out, err, error = imported(media, path)
    assert "Created 1, updated 0, unchanged 0, skipped 0, failed 3" in out
    assert "„Meldung 1“ (ID 1): the post has no author (dc:creator)" in err
    assert "„Meldung 2“ (ID ?): the post has no wp:post_id" in err
    assert "„Meldung 3“ (ID 3): the post has no content" in err
    assert error == f"{path}: 3 items could not be imported."
    assert ArticlePage.objects.count() == 1


def test_duplicate_slugs_get_their_own_addresses_and_redirects(ressorts, media, tmp_path, client):  # noqa: F811
    path = export(
        tmp_path / "dupes.xml",
        item(1, slug="sitzung").replace("/sitzung/", "/2023/sitzung/"),
        item(2, slug="sitzung").replace("/sitzung/", "/2024/sitzung/"),
        item(2, slug="sitzung").replace("/sitzung/", "/2024/sitzung/"),
    )
    out, _err, error = imported(media, path)
    assert error is None
    # The same item twice in one file: made once, then found unchanged.
    assert "Created 2, updated 0, unchanged 1" in out
    assert (article(1).slug, article(2).slug) == ("sitzung", "sitzung-2")
    assert client.get("/2023/sitzung/")["Location"].endswith("/lokales/sitzung/")
    assert client.get("/2024/sitzung/")["Location"].endswith("/lokales/sitzung-2/")


def test_a_10_mb_body_is_skipped_with_its_size_and_the_rest_imported(ressorts, media, tmp_path):  # noqa: F811
    huge = "<p>" + "Sehr langer Text. " * 600_000 + "</p>"
    assert len(huge) > 10_000_000
    path = export(tmp_path / "huge.xml", item(1), item(2, content=huge), item(3))
    out, err, error = imported(media, path)
    assert "Created 2, updated 0, unchanged 0, skipped 0, failed 1" in out
    assert (
        "„Meldung 2“ (ID 2): the content has 10,800,007 characters, "
        "more than the 2,000,000 allowed" in err
    )
    assert error == f"{path}: 1 items could not be imported."


@pytest.mark.parametrize(
    "bomb",
    [
        # Billion laughs: entities inside entities.
        '<!DOCTYPE r [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        # An external entity reading a local file.
        '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    ],
)
def test_entity_bombs_are_refused_before_anything_is_imported(db, tmp_path, bomb):
    path = tmp_path / "bomb.xml"
    path.write_text(
        HEAD.format(encoding="UTF-8").replace("<rss", bomb + "<rss", 1)
        + item(1, title="&b;")
        + "</channel></rss>"
    )
    _out, _err, error = run(path, "--no-progress")
    assert error.startswith(f"{path}: refused, the XML declares entities or a DTD")
    assert not ImportedItem.objects.exists()
