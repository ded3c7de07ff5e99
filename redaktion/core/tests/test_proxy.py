"""The client address and scheme behind trusted proxies (``TRUSTED_PROXIES``)."""

import pytest
from django.test import RequestFactory

from redaktion.core.proxy import TrustedProxyMiddleware, client_ip


@pytest.fixture
def trusted(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "127.0.0.1"]


def through(meta):
    request = RequestFactory().get("/", **meta)
    seen = {}

    def view(req):
        seen.update(ip=client_ip(req), scheme=req.scheme, secure=req.is_secure())

    TrustedProxyMiddleware(view)(request)
    return seen


@pytest.mark.parametrize(
    ("meta", "ip", "scheme"),
    [
        # A trusted proxy names the client and the scheme.
        (
            {
                "REMOTE_ADDR": "10.0.0.2",
                "HTTP_X_FORWARDED_FOR": "198.51.100.7",
                "HTTP_X_FORWARDED_PROTO": "https",
            },
            "198.51.100.7",
            "https",
        ),
        # Proxies in a chain: the right-most address that is not a trusted proxy; what the
        # client itself wrote in front of it does not count.
        (
            {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.7, 10.0.0.3"},
            "198.51.100.7",
            "http",
        ),
        # Anyone else's headers are ignored.
        (
            {
                "REMOTE_ADDR": "192.0.2.9",
                "HTTP_X_FORWARDED_FOR": "1.2.3.4",
                "HTTP_X_FORWARDED_PROTO": "https",
            },
            "192.0.2.9",
            "http",
        ),
        # A malformed chain is not believed.
        (
            {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "nonsense, 198.51.100.7x"},
            "10.0.0.2",
            "http",
        ),
    ],
)
def test_client_address_and_scheme(trusted, meta, ip, scheme):
    seen = through(meta)
    assert (seen["ip"], seen["scheme"]) == (ip, scheme)


def test_without_trusted_proxies_nothing_is_forwarded(settings):
    settings.TRUSTED_PROXIES = []
    seen = through(
        {
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_X_FORWARDED_FOR": "1.2.3.4",
            "HTTP_X_FORWARDED_PROTO": "https",
        }
    )
    assert (seen["ip"], seen["secure"]) == ("127.0.0.1", False)
