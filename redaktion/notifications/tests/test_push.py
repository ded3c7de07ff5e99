"""Web push against a local push service that decrypts what it receives (RFC 8291)."""

import base64
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management import call_command
from django.test import Client

from redaktion.notifications.models import Delivery, Subscriber

pytestmark = pytest.mark.django_db


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class PushService:
    """Accepts pushes like a browser vendor's push service; paths with "gone" answer 410,
    with "busy" 429 (too many requests), with "bad" 400."""

    def __init__(self):
        self.received = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                service.received.append((self.path, dict(self.headers), body))
                answers = {"gone": 410, "busy": 429, "bad": 400}
                status = next((code for word, code in answers.items() if word in self.path), 201)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class Browser:
    """A browser's side of a push subscription: its key pair and auth secret."""

    def __init__(self, endpoint):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        self.endpoint = endpoint

    def subscription(self):
        public = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"endpoint": self.endpoint, "keys": {"p256dh": b64(public), "auth": b64(self.auth)}}

    def decrypt(self, body: bytes) -> dict:
        plain = http_ece.decrypt(
            body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"
        )
        return json.loads(plain)


@pytest.fixture
def push_service():
    service = PushService()
    yield service
    service.stop()


@pytest.fixture
def vapid(settings):
    out = StringIO()
    call_command("redaktion_notifications", "vapid-keys", stdout=out)
    values = dict(line.split("=", 1) for line in out.getvalue().split())
    settings.VAPID_PUBLIC_KEY = values["VAPID_PUBLIC_KEY"]
    settings.VAPID_PRIVATE_KEY = values["VAPID_PRIVATE_KEY"]
    settings.VAPID_SUBJECT = "mailto:redaktion@example.org"
    return values


def subscribe(browser, *follows):
    return Client().post(
        "/benachrichtigungen/push/abonnieren/",
        {"subscription": browser.subscription(), "follow": list(follows)},
        content_type="application/json",
        headers={"Origin": "http://testserver"},
    )


def test_push_alert_is_encrypted_for_the_browser_and_signed_with_vapid(
    push_service, vapid, newsroom, publish
):
    browser = Browser(f"{push_service.url}/push/abc")
    response = subscribe(browser, f"topic:{newsroom['syrien'].pk}")
    assert response.status_code == 200 and response.json()["ok"]
    subscriber = Subscriber.objects.get()
    assert (subscriber.channel, subscriber.status) == ("push", "active")
    assert subscriber.consent_text

    article = publish(title="Waffenruhe in Aleppo")
    [(path, headers, body)] = push_service.received
    assert path == "/push/abc"
    headers = {name.lower(): value for name, value in headers.items()}
    assert headers["content-encoding"] == "aes128gcm"
    assert b"Waffenruhe" not in body  # encrypted on the wire
    scheme, _sep, params = headers["authorization"].partition(" ")
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    assert scheme == "vapid" and fields["k"] == vapid["VAPID_PUBLIC_KEY"]
    claims = json.loads(unb64(fields["t"].split(".")[1]))
    assert claims["aud"] == push_service.url and claims["sub"] == "mailto:redaktion@example.org"

    payload = browser.decrypt(body)
    assert payload["title"] == "Neu: Waffenruhe in Aleppo"
    assert payload["url"].endswith(article.url)
    assert payload["tag"] == f"article-{article.pk}"
    assert Delivery.objects.get().status == "sent"


def test_gone_endpoints_are_removed(push_service, vapid, newsroom, announce):
    gone = Browser(f"{push_service.url}/push/gone")
    subscribe(gone, f"ressort:{newsroom['ressort'].pk}")
    assert Subscriber.objects.count() == 1
    announce(title="Niemand mehr da")
    assert len(push_service.received) == 1
    assert not Subscriber.objects.exists()
    assert not Delivery.objects.exists()


def test_a_busy_push_service_is_retried_a_refusal_is_final(push_service, vapid, newsroom, announce):
    for name in ("busy", "bad"):
        subscribe(Browser(f"{push_service.url}/push/{name}"), f"topic:{newsroom['syrien'].pk}")
    announce(title="Abgewiesen")
    assert len(push_service.received) == 2
    outcome = {
        delivery.subscriber.push_endpoint.rsplit("/", 1)[1]: (delivery.status, delivery.attempts)
        for delivery in Delivery.objects.select_related("subscriber")
    }
    assert outcome == {"busy": ("pending", 1), "bad": ("failed", 1)}


def test_push_subscription_checks_origin_and_input(vapid, newsroom):
    browser = Browser("https://push.example/abc")
    forged = Client().post(
        "/benachrichtigungen/push/abonnieren/",
        {"subscription": browser.subscription(), "follow": [f"topic:{newsroom['nato'].pk}"]},
        content_type="application/json",
        headers={"Origin": "https://evil.example"},
    )
    assert forged.status_code == 403
    assert subscribe(Browser("https://push.example/x"), "topic:0").status_code == 400
    assert not Subscriber.objects.exists()


def test_service_worker_is_served_from_the_root(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert b"showNotification" in response.content
