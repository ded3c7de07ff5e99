"""The compression middleware's reading of Accept-Encoding and its choice per response."""

import gzip

import brotli
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.test import RequestFactory

from redaktion.core import compression
from redaktion.core.compression import CompressionMiddleware, accepted_encodings

TEXT = "Die Koalition einigt sich nach langer Nacht auf Eckpunkte des Etats. " * 20


def test_accepted_encodings_honour_q_zero():
    assert accepted_encodings("gzip, deflate, br, zstd") == {"gzip", "deflate", "br", "zstd"}
    assert accepted_encodings("br;q=0, gzip;q=0.5") == {"gzip"}
    assert accepted_encodings("BR; Q=1.0 ,identity") == {"br", "identity"}
    assert accepted_encodings("br;q=nonsense") == set()
    assert accepted_encodings("") == set()


def respond(response, accept="gzip, br"):
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING=accept)
    return CompressionMiddleware(lambda request: response)(request)


def public(response):
    response["Cache-Control"] = "public, max-age=60"
    return response


def test_public_text_gets_brotli_and_a_weak_etag():
    response = public(HttpResponse(TEXT))
    response["ETag"] = '"abc"'
    out = respond(response)
    assert out["Content-Encoding"] == "br"
    assert brotli.decompress(out.content).decode() == TEXT
    assert out["ETag"] == 'W/"abc"'
    assert out["Vary"] == "Accept-Encoding"


def test_private_answers_get_gzip_only():
    out = respond(JsonResponse({"text": TEXT}))
    assert out["Content-Encoding"] == "gzip"
    assert TEXT in gzip.decompress(out.content).decode()


def test_without_br_public_text_gets_gzip_and_without_either_stays_plain():
    out = respond(public(HttpResponse(TEXT)), accept="gzip")
    assert out["Content-Encoding"] == "gzip"
    for accept in ("identity", "gzip;q=0, br;q=0", ""):
        plain = respond(public(HttpResponse(TEXT)), accept=accept)
        assert "Content-Encoding" not in plain, accept
        assert plain.content == TEXT.encode()
        assert plain["Vary"] == "Accept-Encoding"


def test_images_short_answers_and_encoded_answers_pass_untouched():
    image = public(HttpResponse(b"\x89PNG" + b"0" * 500, content_type="image/png"))
    assert "Content-Encoding" not in respond(image)
    assert "Vary" not in image
    short = public(HttpResponse("kurz"))
    assert "Content-Encoding" not in respond(short)
    encoded = public(HttpResponse(TEXT))
    encoded["Content-Encoding"] = "br"
    assert respond(encoded).content == TEXT.encode()


def test_streaming_text_is_gzipped_as_it_streams():
    response = public(StreamingHttpResponse(iter([TEXT.encode()] * 3)))
    out = respond(response)
    assert out["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(out.streaming_content)).decode() == TEXT * 3


def test_a_public_body_is_compressed_once_per_coding_and_a_private_one_each_time():
    body = TEXT + "Haushalt 2027"
    before = compression._memo.cache_info()
    first, second = (respond(public(HttpResponse(body))) for _ in range(2))
    gzipped = [respond(public(HttpResponse(body)), accept="gzip") for _ in range(2)]
    after = compression._memo.cache_info()
    assert (after.misses - before.misses, after.hits - before.hits) == (2, 2)
    assert first.content == second.content
    assert gzipped[0].content == gzipped[1].content
    assert gzip.decompress(gzipped[0].content).decode() == body
    # Per-reader answers keep Django's random padding (BREACH): never from the memo. Two
    # paddings can be alike by chance, twenty are not.
    private = {respond(JsonResponse({"text": body})).content for _ in range(20)}
    assert len(private) > 1
    assert compression._memo.cache_info().misses == after.misses


def test_a_purged_page_is_never_answered_with_the_old_compressed_body():
    old = respond(public(HttpResponse(TEXT + "alt")))
    new = respond(public(HttpResponse(TEXT + "neu")))
    assert brotli.decompress(new.content).decode().endswith("neu")
    assert old.content != new.content
