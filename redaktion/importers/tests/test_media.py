"""Downloads for the imports: bounded in size and time, http and https only. The servers
are on loopback, started here."""

import socket
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import translation

from redaktion.importers.media import FetchError, download


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def server(tmp_path):
    (tmp_path / "klein.txt").write_bytes(b"a" * 500)
    (tmp_path / "gross.txt").write_bytes(b"b" * 5000)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_body_within_the_limit_is_returned(server):
    assert download(f"{server}/klein.txt", limit=1000) == b"a" * 500


def test_a_body_over_the_limit_is_refused(server):
    with pytest.raises(FetchError, match="larger than 1000 bytes"):
        download(f"{server}/gross.txt", limit=1000)


def test_an_error_status_is_named(server):
    with pytest.raises(FetchError, match="HTTP 404"):
        download(f"{server}/fehlt.txt", limit=1000)


def test_only_http_and_https(tmp_path):
    with pytest.raises(FetchError, match="only http and https"):
        download((tmp_path / "x").as_uri(), limit=1000)


def test_a_server_that_never_answers_times_out():
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    try:
        with pytest.raises(FetchError, match="timed out"):
            download(f"http://127.0.0.1:{silent.getsockname()[1]}/", limit=1000, timeout=0.3)
    finally:
        silent.close()
