"""The email journey over HTTP, with every mail received by a real SMTP server."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from redaktion.notifications.models import Delivery, Follow, Subscriber

from .conftest import html_part, links, path_of, text_part

pytestmark = pytest.mark.django_db(transaction=False)

SUBSCRIBE = "/benachrichtigungen/abonnieren/"


def follow_values(newsroom, *names):
    kinds = {"ressort": "ressort", "syrien": "topic", "nato": "topic", "berger": "author"}
    return [f"{kinds[name]}:{newsroom[name].pk}" for name in names]


def subscribe(client, newsroom, address, *names, **extra):
    data = {"email": address, "follow": follow_values(newsroom, *names), "rhythm": "instant"}
    data.update(extra)
    return client.post(SUBSCRIBE, data)


def confirm_from_mail(client, message):
    confirm_url = next(url for url in links(message) if "/bestaetigen/" in url)
    page = client.get(path_of(confirm_url))
    assert page.status_code == 200
    assert "csrfmiddlewaretoken" in page.content.decode()
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="', 1)[1].split('"')[0]
    return client.post(path_of(confirm_url), {"csrfmiddlewaretoken": token})


def test_double_opt_in_then_alert_then_manage_and_one_click_unsubscribe(mailbox, newsroom, publish):
    client = Client(enforce_csrf_checks=True)
    response = subscribe(client, newsroom, "leserin@example.org", "syrien", "berger")
    assert response.status_code == 200
    assert "Bitte sehen Sie in Ihr Postfach" in response.content.decode()
    assert Subscriber.objects.count() == 0  # nothing stored before confirmation

    [confirmation] = mailbox.received
    assert confirmation["To"] == "leserin@example.org"
    assert "Syrien" in text_part(confirmation) and "Anna Berger" in html_part(confirmation)
    assert "List-Unsubscribe" not in confirmation

    # Nothing but the confirmation is sent before the link is followed.
    publish(title="Vor der Bestätigung")
    assert len(mailbox.received) == 1

    response = confirm_from_mail(client, confirmation)
    assert response.status_code == 302
    subscriber = Subscriber.objects.get()
    assert subscriber.status == "active"
    assert subscriber.confirmed_at is not None
    assert "speichert" in subscriber.consent_text
    assert sorted(subscriber.follows.values_list("kind", flat=True)) == ["author", "topic"]

    article = publish(title="Waffenruhe in Aleppo", topics=("syrien", "nato"))
    alerts = mailbox.to("leserin@example.org")[1:]
    assert len(alerts) == 1  # one mail, although two follows match
    alert = alerts[0]
    assert alert["Subject"] == "Neu: Waffenruhe in Aleppo"
    assert article.lead in text_part(alert)
    assert "Waffenruhe in Aleppo" in html_part(alert)
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = str(alert["List-Unsubscribe"]).strip().strip("<>")
    assert unsubscribe_url in text_part(alert)
    assert Delivery.objects.get().status == "sent"

    # Manage page through the magic link in the mail: switch to the digest at 6.
    manage_url = next(url for url in links(alert) if "/verwalten/" in url)
    page = client.get(path_of(manage_url))
    assert page.status_code == 200
    html = page.content.decode()
    assert "leserin@example.org" in html and "Syrien" in html
    csrf = html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"')[0]
    response = client.post(
        path_of(manage_url),
        {
            "csrfmiddlewaretoken": csrf,
            "action": "save",
            "follow": follow_values(newsroom, "syrien"),
            "rhythm": "daily",
            "digest_hour": "6",
            "language": "en",
        },
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert (subscriber.rhythm, subscriber.digest_hour, subscriber.language) == ("daily", 6, "en")
    assert list(subscriber.follows.values_list("kind", flat=True)) == ["topic"]

    data = json.loads(client.get(path_of(manage_url) + "daten.json").content)
    assert data["email"] == "leserin@example.org"
    assert data["follows"] == [{"kind": "topic", "id": newsroom["syrien"].pk, "name": "Syrien"}]
    assert data["deliveries"][0]["status"] == "sent"
    assert data["consent_text"] == subscriber.consent_text

    # RFC 8058: the mail client posts without any token or cookie.
    response = Client(enforce_csrf_checks=True).post(
        path_of(unsubscribe_url),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed"
    assert not subscriber.follows.exists()
    publish(title="Nach der Abmeldung")
    assert len(mailbox.to("leserin@example.org")) == 2

    # Delete me: nothing personal is left.
    csrf = client.get(path_of(manage_url)).content.decode()
    csrf = csrf.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"')[0]
    client.post(path_of(manage_url), {"csrfmiddlewaretoken": csrf, "action": "delete"})
    assert not Subscriber.objects.exists()
    assert not Follow.objects.exists()
    assert not Delivery.objects.exists()
    assert client.get(path_of(manage_url)).status_code == 400


def test_english_subscriber_gets_english_mail(mailbox, newsroom, announce, settings):
    settings.LANGUAGE_CODE = "en"
    client = Client()
    subscribe(client, newsroom, "reader@example.org", "ressort")
    [confirmation] = mailbox.received
    assert confirmation["Subject"].startswith("Please confirm your alerts")
    confirm_from_mail(client, confirmation)
    assert Subscriber.objects.get().language == "en"
    announce(title="Elections")
    assert mailbox.received[-1]["Subject"] == "New: Elections"
    assert "Read the article" in text_part(mailbox.received[-1])


def test_the_answer_is_the_same_whether_or_not_the_address_is_subscribed(mailbox, newsroom):
    client = Client()
    first = subscribe(client, newsroom, "a@example.org", "syrien")
    confirm_from_mail(client, mailbox.received[0])
    again = subscribe(client, newsroom, "a@example.org", "syrien")
    stranger = subscribe(client, newsroom, "b@example.org", "syrien")
    assert first.status_code == again.status_code == stranger.status_code == 200
    assert first.content == again.content == stranger.content

    def headers(response):  # Expires is the time of the answer, X-Request-ID its own id
        per_request = {"Expires", "X-Request-ID"}
        return {k: v for k, v in response.headers.items() if k not in per_request}

    assert headers(first) == headers(again) == headers(stranger)


def test_confirmation_link_expires(mailbox, newsroom):
    client = Client()
    subscribe(client, newsroom, "late@example.org", "syrien")
    confirm_url = next(url for url in links(mailbox.received[0]) if "/bestaetigen/" in url)
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        assert client.get(path_of(confirm_url)).status_code == 400
        assert client.post(path_of(confirm_url)).status_code == 400
    assert not Subscriber.objects.exists()


def test_honeypot_sends_nothing_and_answers_the_same(mailbox, newsroom):
    client = Client()
    bot = subscribe(client, newsroom, "bot@example.org", "syrien", website="http://spam")
    human = subscribe(client, newsroom, "human@example.org", "syrien")
    assert bot.content == human.content
    assert [message["To"] for message in mailbox.received] == ["human@example.org"]


def test_rate_limits_per_address_and_per_ip(mailbox, newsroom, settings):
    settings.NOTIFICATIONS_SUBSCRIBE_LIMIT_ADDRESS = 2
    settings.NOTIFICATIONS_SUBSCRIBE_LIMIT_IP = 4
    client = Client()
    answers = [subscribe(client, newsroom, "x@example.org", "syrien") for _ in range(3)]
    assert {answer.status_code for answer in answers} == {200}
    assert len(mailbox.received) == 2  # the third request looks the same but sends nothing
    assert subscribe(client, newsroom, "y@example.org", "syrien").status_code == 200
    assert subscribe(client, newsroom, "z@example.org", "syrien").status_code == 429
    other_ip = Client(REMOTE_ADDR="10.0.0.9")
    assert subscribe(other_ip, newsroom, "z@example.org", "syrien").status_code == 200


def test_cross_site_posts_are_refused(mailbox, newsroom):
    client = Client()
    response = client.post(
        SUBSCRIBE,
        {"email": "v@example.org", "follow": follow_values(newsroom, "syrien")},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    same = client.post(
        SUBSCRIBE,
        {"email": "v@example.org", "follow": follow_values(newsroom, "syrien")},
        headers={"Origin": "http://testserver"},
    )
    assert same.status_code == 200
    assert len(mailbox.received) == 1


def test_invalid_requests_are_explained(mailbox, newsroom):
    client = Client()
    assert subscribe(client, newsroom, "not-an-address", "syrien").status_code == 400
    response = client.post(SUBSCRIBE, {"email": "n@example.org", "follow": ["topic:99999"]})
    assert response.status_code == 400
    assert "mindestens" in response.content.decode()
    assert not mailbox.received


def test_manage_link_by_address_reaches_only_subscribers(mailbox, newsroom):
    client = Client()
    subscribe(client, newsroom, "m@example.org", "syrien")
    confirm_from_mail(client, mailbox.received[0])
    known = client.post("/benachrichtigungen/verwalten/", {"email": "m@example.org"})
    unknown = client.post("/benachrichtigungen/verwalten/", {"email": "u@example.org"})
    assert known.content == unknown.content
    assert [message["To"] for message in mailbox.received] == ["m@example.org"] * 2
    assert any("/verwalten/" in url for url in links(mailbox.received[-1]))


def test_pause_stops_alerts_until_resumed(mailbox, newsroom, announce):
    client = Client()
    subscribe(client, newsroom, "p@example.org", "ressort")
    manage = confirm_from_mail(client, mailbox.received[0])["Location"]
    client.post(manage.split("?")[0], {"action": "pause"})
    announce(title="Während der Pause")
    assert len(mailbox.received) == 1
    client.post(manage.split("?")[0], {"action": "resume"})
    announce(title="Nach der Pause")
    assert mailbox.received[-1]["Subject"] == "Neu: Nach der Pause"
