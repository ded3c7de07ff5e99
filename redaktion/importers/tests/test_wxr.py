"""The WXR reader on its own: streaming and what it reads from an item."""

import tracemalloc
from datetime import UTC, datetime

from redaktion.importers.wxr import Site, WxrAuthor, WxrItem, parse_date, read_wxr

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.1/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.1/">
<channel><title>Testblatt</title><link>https://testblatt.example/</link>
<wp:author><wp:author_login>ukeller</wp:author_login>
<wp:author_display_name><![CDATA[Ute Keller]]></wp:author_display_name></wp:author>
"""
ITEM = """<item><title>Meldung {n}</title><dc:creator>ukeller</dc:creator>
<content:encoded><![CDATA[<p>{text}</p>]]></content:encoded>
<excerpt:encoded><![CDATA[Kurz gesagt: ]]]]><![CDATA[> Nummer {n}]]></excerpt:encoded>
<wp:post_id>{n}</wp:post_id><wp:post_date>2023-06-01 12:00:00</wp:post_date>
<wp:post_date_gmt>2023-06-01 10:00:00</wp:post_date_gmt>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="sport"><![CDATA[Sport]]></category>
<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>9</wp:meta_value></wp:postmeta>
</item>
"""
TEXT = "Der Verein gewinnt das Derby nach einem späten Tor. " * 40


def write_export(path, items: int):
    with open(path, "w", encoding="utf-8") as file:
        file.write(HEAD)
        for n in range(1, items + 1):
            file.write(ITEM.format(n=n, text=TEXT))
        file.write("</channel></rss>\n")
    return path


def test_reads_site_authors_and_items_in_order(tmp_path):
    records = list(read_wxr(write_export(tmp_path / "e.xml", 2)))
    assert records[0] == Site(
        version="1.1", base_url="https://testblatt.example", title="Testblatt"
    )
    assert records[1] == WxrAuthor(login="ukeller", display_name="Ute Keller")
    item = records[2]
    assert isinstance(item, WxrItem)
    assert (item.post_id, item.title, item.creator) == ("1", "Meldung 1", "ukeller")
    # A CDATA section split to carry "]]>" reads as one text.
    assert item.excerpt == "Kurz gesagt: ]]> Nummer 1"
    assert item.date == datetime(2023, 6, 1, 10, 0, tzinfo=UTC)
    assert item.categories == [("sport", "Sport")]
    assert item.meta == {"_thumbnail_id": "9"}
    assert [r.post_id for r in records[2:]] == ["1", "2"]


def test_a_draft_without_gmt_date_is_read_in_berlin_time():
    assert parse_date("2024-01-15 09:00:00", "0000-00-00 00:00:00") == datetime(
        2024, 1, 15, 8, 0, tzinfo=UTC
    )
    assert parse_date("", "0000-00-00 00:00:00") is None


def peak_memory(path) -> int:
    tracemalloc.start()
    try:
        for _record in read_wxr(path):
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_file(tmp_path):
    small = peak_memory(write_export(tmp_path / "small.xml", 100))
    large = peak_memory(write_export(tmp_path / "large.xml", 2000))
    # Twenty times the items (about 4.5 MB of text) may not take twice the memory: each item
    # is dropped once it has been read.
    assert large < 2 * small
