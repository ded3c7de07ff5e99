"""The reader endpoints' forms: what they accept, and a clear answer (never a server error)
for anything else. Messages are checked in English, the site's language in these tests."""

import json

import pytest
from django.test import Client

from redaktion.notifications import tokens
from redaktion.notifications.models import Subscriber

from .helpers import subscriber

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/benachrichtigungen/abonnieren/"
PUSH_SUBSCRIBE = "/benachrichtigungen/push/abonnieren/"
PUSH_UNSUBSCRIBE = "/benachrichtigungen/push/abmelden/"
MANAGE_REQUEST = "/benachrichtigungen/verwalten/"
ENDPOINT = "https://push.example/abc"
KEYS = {
    "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u"
    "-Ts1XbjhazAkj7I99e8QcYP7DkM",
    "auth": "tBHItJI5svbpez7KI4CCXg",
}


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def reader(newsroom):
    return subscriber("leserin@example.org", newsroom["syrien"], rhythm="daily", hour=6)


def manage_url(reader) -> str:
    return (
        f"/benachrichtigungen/verwalten/{tokens.subscriber_token(reader, salt=tokens.MANAGE_SALT)}/"
    )


def page_text(response) -> str:
    return response.content.decode()


def test_the_follow_box_posts_without_a_csrf_token_and_defaults_rhythm_and_hour(
    newsroom, mailoutbox
):
    response = Client(enforce_csrf_checks=True).post(
        SUBSCRIBE, {"email": " Leserin@Example.org ", "follow": [f"topic:{newsroom['syrien'].pk}"]}
    )
    assert response.status_code == 200
    [mail] = mailoutbox
    assert mail.to == ["leserin@example.org"]
    token = mail.body.split("/bestaetigen/", 1)[1].split("/", 1)[0]
    data = tokens.read_confirm_token(token)
    assert (data["e"], data["r"], data["h"]) == ("leserin@example.org", "instant", 7)
    assert data["f"] == [["topic", newsroom["syrien"].pk]]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"email": ""}, "This field is required."),
        ({"follow": []}, "Choose at least one thing to follow."),
        ({"follow": ["topic:99999"]}, "Choose at least one thing to follow."),
        ({"follow": ["topic:²"]}, "Something to follow is unknown."),
        ({"follow": ["topic:99999999999999999999999"]}, "Something to follow is unknown."),
        ({"follow": ["planet:3"]}, "Something to follow is unknown."),
        ({"follow": [f"topic:{n}" for n in range(51)]}, "Choose at most 50 things to follow."),
        ({"rhythm": "weekly"}, "Choose at once or a daily digest."),
        ({"digest_hour": "24"}, "Choose an hour between 0 and 23 for the digest."),
        ({"digest_hour": "seven"}, "Choose an hour between 0 and 23 for the digest."),
        ({"email": "a\x00@example.org"}, "Null characters are not allowed."),
    ],
)
def test_subscribe_explains_bad_input(newsroom, mailoutbox, changes, message):
    data = {"email": "a@example.org", "follow": [f"topic:{newsroom['syrien'].pk}"]}
    data.update(changes)
    response = Client().post(SUBSCRIBE, data)
    assert response.status_code == 400
    assert "Please check your entry" in page_text(response)
    assert message in page_text(response)
    assert not mailoutbox


def test_a_follow_button_without_script_opens_the_subscribe_page_for_its_target(
    newsroom, mailoutbox
):
    client = Client()
    syrien = newsroom["syrien"]
    page = client.get(SUBSCRIBE, {"follow": f"topic:{syrien.pk}"})
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    html = page_text(page)
    form = html.split('<form class="follow__form"', 1)[1].split("</form>", 1)[0]
    # The target the reader chose goes with the form; nothing else is ticked for them.
    assert f'<input type="hidden" name="follow" value="topic:{syrien.pk}">' in form
    assert "Syrien" in form
    assert "checked" not in form and 'type="checkbox"' not in form
    assert "csrfmiddlewaretoken" not in form
    response = client.post(
        SUBSCRIBE, {"email": "leserin@example.org", "follow": [f"topic:{syrien.pk}"]}
    )
    assert response.status_code == 200
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({}, "Choose at least one thing to follow."),
        ({"follow": "topic:99999"}, "Something to follow is unknown."),
        ({"follow": "planet:3"}, "Something to follow is unknown."),
    ],
)
def test_the_subscribe_page_explains_a_bad_link(newsroom, query, message):
    response = Client().get(SUBSCRIBE, query)
    assert response.status_code == 400
    assert message in page_text(response)


def test_the_honeypot_answers_like_success_even_for_bad_input(mailoutbox):
    response = Client().post(SUBSCRIBE, {"email": "nonsense", "website": "http://spam"})
    assert response.status_code == 200
    assert "Please check your inbox" in page_text(response)
    assert not mailoutbox


def test_manage_link_request_explains_a_bad_address(mailoutbox):
    client = Client()
    response = client.post(MANAGE_REQUEST, {"email": "no address"})
    assert response.status_code == 400
    assert "Enter a valid email address." in page_text(response)
    assert 'value="no address"' in page_text(response)
    assert client.get(MANAGE_REQUEST).status_code == 200
    assert not mailoutbox


def test_manage_page_keeps_what_a_save_leaves_out(reader, newsroom):
    client = Client()
    page = client.get(manage_url(reader) + "?confirmed=1")
    assert "Your alerts are confirmed." in page_text(page)
    assert "Your alerts are confirmed." not in page_text(client.get(manage_url(reader)))
    response = client.post(manage_url(reader), {"follow": [f"author:{newsroom['berger'].pk}"]})
    assert response.status_code == 200
    assert "Your changes are saved." in page_text(response)
    reader.refresh_from_db()
    assert (reader.rhythm, reader.digest_hour, reader.language) == ("daily", 6, "de")
    assert list(reader.follows.values_list("kind", flat=True)) == ["author"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "explode"}, "Select a valid choice."),
        ({"action": "save", "digest_hour": "-1"}, "Choose an hour between 0 and 23"),
        ({"action": "save", "rhythm": "hourly"}, "Choose at once or a daily digest."),
        ({"action": "save", "language": "xx"}, "Choose one of the languages offered."),
        ({"action": "save", "follow": ["topic:abc"]}, "Something to follow is unknown."),
    ],
)
def test_manage_page_explains_bad_input_and_changes_nothing(reader, data, message):
    response = Client().post(manage_url(reader), data)
    assert response.status_code == 400
    assert message in page_text(response)
    reader.refresh_from_db()
    assert (reader.status, reader.rhythm, reader.digest_hour) == ("active", "daily", 6)
    assert reader.follows.count() == 1


def post_json(path, body):
    return Client().post(
        path,
        body if isinstance(body, str) else json.dumps(body),
        content_type="application/json",
        headers={"Origin": "http://testserver"},
    )


@pytest.fixture
def push_on(settings):
    settings.VAPID_PUBLIC_KEY = "public-key"


def test_push_subscribe_stores_the_subscription(push_on, newsroom):
    body = {
        "subscription": {"endpoint": ENDPOINT, "keys": KEYS},
        "follow": [f"ressort:{newsroom['ressort'].pk}"],
    }
    assert post_json(PUSH_SUBSCRIBE, body).json()["ok"] is True
    stored = Subscriber.objects.get()
    assert (stored.push_endpoint, stored.push_p256dh, stored.push_auth) == (
        ENDPOINT,
        KEYS["p256dh"],
        KEYS["auth"],
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{", "Invalid request."),
        ("[1, 2]", "Invalid request."),
        ("[" * 100_000 + "]" * 100_000, "Invalid request."),
        ({"subscription": [1], "follow": ["topic:1"]}, "incomplete push subscription"),
        ({"subscription": {"endpoint": "ftp://push.example/a", "keys": KEYS}}, "incomplete"),
        ({"subscription": {"endpoint": "javascript:alert(1)", "keys": KEYS}}, "incomplete"),
        (
            {"subscription": {"endpoint": ENDPOINT, "keys": {"p256dh": "a b", "auth": "c"}}},
            "incomplete",
        ),
        ({"subscription": {"endpoint": ENDPOINT, "keys": KEYS}, "follow": 5}, "unknown"),
        ({"subscription": {"endpoint": ENDPOINT, "keys": KEYS}, "follow": []}, "at least one"),
    ],
)
def test_push_subscribe_explains_bad_input(push_on, newsroom, body, message):
    response = post_json(PUSH_SUBSCRIBE, body)
    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert message in response.json()["message"]
    assert not Subscriber.objects.exists()


def test_push_honeypot_answers_like_success(push_on, newsroom):
    response = post_json(PUSH_SUBSCRIBE, {"website": "x", "subscription": {}})
    assert response.status_code == 200 and response.json()["ok"] is True
    assert not Subscriber.objects.exists()


def test_push_unsubscribe(push_on, newsroom):
    body = {
        "subscription": {"endpoint": ENDPOINT, "keys": KEYS},
        "follow": [f"topic:{newsroom['nato'].pk}"],
    }
    post_json(PUSH_SUBSCRIBE, body)
    assert post_json(PUSH_UNSUBSCRIBE, {"endpoint": "https://push.example/other"}).json() == {
        "ok": True
    }
    assert Subscriber.objects.exists()
    assert post_json(PUSH_UNSUBSCRIBE, {"endpoint": ENDPOINT}).json() == {"ok": True}
    assert not Subscriber.objects.exists()
    for bad in ("nope", "{}", '{"endpoint": ""}'):
        response = post_json(PUSH_UNSUBSCRIBE, bad)
        assert response.status_code == 400 and response.json()["ok"] is False
