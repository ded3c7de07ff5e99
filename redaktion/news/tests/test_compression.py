"""Reader pages, feeds and JSON leave the app compressed for the Accept-Encoding of each
request: brotli for public answers, gzip otherwise, and the page cache keeps one
uncompressed copy that is right for every client."""

import gzip
import json

import brotli
import pytest

from redaktion.ads.factories import CampaignFactory, CreativeFactory, slot_enable

pytestmark = pytest.mark.django_db

BROWSER = "gzip, deflate, br, zstd"


@pytest.fixture
def cached(settings):
    settings.PAGE_CACHE_ENABLED = True


def decoded(response) -> bytes:
    encoding = response.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(response.content)
    if encoding == "gzip":
        return gzip.decompress(response.content)
    assert encoding is None, encoding
    return response.content


def vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",")}


@pytest.mark.parametrize("path", ["/", "/politik/", "/thema/syrien/", "article"])
def test_pages_are_brotli_gzip_or_plain_as_asked_from_one_cached_copy(
    client, newsroom, cached, path, django_assert_num_queries
):
    path = newsroom["article"].url if path == "article" else path
    plain = client.get(path)
    assert plain.status_code == 200
    assert "Content-Encoding" not in plain
    assert "accept-encoding" in vary(plain)
    # The page cache answers the rest, each in the coding its client asked for.
    with django_assert_num_queries(0):
        br = client.get(path, HTTP_ACCEPT_ENCODING=BROWSER)
        gz = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
        refused = client.get(path, HTTP_ACCEPT_ENCODING="br;q=0, gzip;q=0")
        again = client.get(path)
    assert br["Content-Encoding"] == "br"
    assert gz["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in refused and "Content-Encoding" not in again
    for response in (br, gz, refused, again):
        assert decoded(response) == plain.content
        assert "accept-encoding" in vary(response)
        assert response["Cache-Control"] == plain["Cache-Control"]
        assert response["Surrogate-Key"] == plain["Surrogate-Key"]
    assert int(br["Content-Length"]) == len(br.content) < len(plain.content) / 3


def test_feeds_keep_a_usable_validator_when_compressed(client, newsroom, cached):
    plain = client.get("/feeds/rss.xml")
    br = client.get("/feeds/rss.xml", HTTP_ACCEPT_ENCODING=BROWSER)
    assert br["Content-Encoding"] == "br"
    assert decoded(br) == plain.content
    # The compressed bytes differ from the plain ones: the validator becomes weak, and a
    # reader sending it back still gets a 304.
    assert br["ETag"] == f"W/{plain['ETag']}"
    not_modified = client.get(
        "/feeds/rss.xml", HTTP_ACCEPT_ENCODING=BROWSER, HTTP_IF_NONE_MATCH=br["ETag"]
    )
    assert not_modified.status_code == 304
    assert not_modified.content == b""


def test_per_reader_json_is_gzipped_never_brotli(client, newsroom):
    """The ad decision carries per-view tokens: gzip with Django's random padding against
    BREACH, never brotli."""
    slot_enable("river")
    CreativeFactory(campaign=CampaignFactory(), title="Skiurlaub")
    response = client.get("/anzeigen/auslieferung/?slot=river", HTTP_ACCEPT_ENCODING=BROWSER)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Encoding"] == "gzip"
    assert json.loads(decoded(response))["ads"][0]["token"]
