"""Every alert says why it came (the reader's follows the article matches) and how to stop
it: that follow alone, or all alerts. Mails go through a real SMTP server."""

import re

import pytest
import time_machine
from django.test import Client
from wagtail.models import Site

from redaktion.news.factories import ArticlePageFactory
from redaktion.notifications import selectors, services, tokens
from redaktion.notifications.models import Delivery, Subscriber

from .conftest import html_part, path_of, text_part
from .helpers import berlin, subscriber

pytestmark = pytest.mark.django_db


def stop_link(message, label: str) -> str:
    """The URL on the footer line "<label> nicht mehr folgen: URL"."""
    for line in text_part(message).splitlines():
        if line.startswith(f"{label} nicht mehr folgen: "):
            return line.rsplit(" ", 1)[1]
    raise AssertionError(f"no stop link for {label}:\n{text_part(message)}")


def test_an_alert_names_the_follows_that_brought_it_and_how_to_stop_each(
    mailbox, newsroom, announce
):
    topic_reader = subscriber("thema@example.org", newsroom["syrien"], newsroom["keller"])
    both = subscriber("beides@example.org", newsroom["ressort"], newsroom["berger"])

    announce(title="Waffenruhe in Aleppo", topics=("syrien", "nato"), authors=("berger",))

    [alert] = mailbox.to(topic_reader.email)
    body = text_part(alert)
    assert "Sie erhalten diese Nachricht, weil Sie dem Thema Syrien folgen." in body
    assert "Jonas Keller" not in body  # followed, but not what brought this article
    assert "Sie erhalten diese Nachricht, weil Sie dem Thema Syrien folgen." in html_part(alert)
    assert [line.split(":", 1)[0] for line in body.splitlines() if "http" in line][-3:] == [
        "Thema Syrien nicht mehr folgen",
        "Alle Benachrichtigungen beenden",
        "Benachrichtigungen verwalten",
    ]
    [other] = mailbox.to(both.email)
    assert (
        "Sie erhalten diese Nachricht, weil Sie dem Ressort Politik und Anna Berger folgen."
        in text_part(other)
    )
    assert stop_link(other, "Ressort Politik") != stop_link(other, "Autor Anna Berger")
    # Each reader's links are their own (the mail is built from one serialised template).
    assert stop_link(alert, "Thema Syrien") not in text_part(other)


def test_the_stop_link_ends_that_follow_only_and_the_last_one_unsubscribes(
    mailbox, newsroom, announce
):
    reader = subscriber("leserin@example.org", newsroom["syrien"], newsroom["berger"])
    announce(title="Erste Meldung", topics=("syrien",), authors=("berger",))
    [alert] = mailbox.to(reader.email)
    syrien, berger = stop_link(alert, "Thema Syrien"), stop_link(alert, "Autor Anna Berger")
    client = Client(enforce_csrf_checks=True)

    page = client.get(path_of(syrien))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Sie folgen dem Thema Syrien." in html
    assert reader.follows.count() == 2  # a link scanner's GET changes nothing
    # The page also links to stopping all alerts, for this reader.
    stop_all = re.search(r'href="/benachrichtigungen/abmelden/([^/"]+)/"', html).group(1)
    assert tokens.read_subscriber_token(stop_all, salt=tokens.UNSUBSCRIBE_SALT) == (
        reader.pk,
        reader.key,
    )
    csrf = html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"')[0]
    done = client.post(path_of(syrien), {"csrfmiddlewaretoken": csrf})
    assert "Sie folgen dem Thema Syrien nicht mehr; Ihre übrigen" in done.content.decode()
    assert list(reader.follows.values_list("kind", flat=True)) == ["author"]

    announce(title="Nur Syrien", topics=("syrien",), authors=("keller",))
    announce(title="Von Anna Berger", topics=("nato",), authors=("berger",))
    subjects = [message["Subject"] for message in mailbox.to(reader.email)]
    assert subjects == ["Neu: Erste Meldung", "Neu: Von Anna Berger"]

    Client().post(path_of(berger))
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.UNSUBSCRIBED
    assert Client().post(path_of(berger)).status_code == 200  # a second click changes nothing
    assert Client().get(path_of(syrien)[:-2] + "/").status_code == 400  # a broken signature


def test_a_digest_names_the_follow_behind_each_article_and_every_follow_in_its_footer(
    mailbox, newsroom, announce
):
    reader = subscriber(
        "morgen@example.org", newsroom["ressort"], newsroom["syrien"], rhythm="daily", hour=7
    )
    with time_machine.travel(berlin(2026, 3, 10, 5, 0), tick=False) as clock:
        announce(title="Aus dem Ressort", topics=("nato",))
        announce(title="Zum Thema", parent=newsroom["other_ressort"], topics=("syrien",))
        clock.move_to(berlin(2026, 3, 10, 7, 1))
        assert services.digests_send().sent == 1
    [digest] = mailbox.to(reader.email)
    body = text_part(digest)
    ressort, topic = body.index("Aus dem Ressort"), body.index("Zum Thema")
    assert body.index("Weil Sie dem Ressort Politik folgen.", ressort) < topic
    assert body.index("Weil Sie dem Thema Syrien folgen.", topic) > topic
    assert (
        "Sie erhalten diesen Überblick, weil Sie dem Ressort Politik und dem Thema Syrien folgen."
        in body
    )
    assert stop_link(digest, "Ressort Politik") and stop_link(digest, "Thema Syrien")
    assert "Weil Sie dem Thema Syrien folgen." in html_part(digest)


def test_stopping_a_follow_drops_what_only_it_had_collected_for_the_digest(
    newsroom, announce, settings
):
    reader = subscriber(
        "morgen@example.org", newsroom["ressort"], newsroom["syrien"], rhythm="daily", hour=7
    )
    settings.NOTIFICATIONS_SEND_TASKS = 0
    only_topic = announce(title="Nur Thema", parent=newsroom["other_ressort"])
    both = announce(title="Beides")  # Politik, topic Syrien

    assert services.follow_remove(subscriber=reader, kind="topic", target_id=newsroom["syrien"].pk)

    pending = Delivery.objects.filter(subscriber=reader, status="pending")
    assert list(pending.values_list("article_id", flat=True)) == [both.pk]
    assert only_topic.pk not in pending.values_list("article_id", flat=True)


def test_why_each_reader_got_an_article_costs_the_same_queries_for_any_batch(
    newsroom, django_assert_num_queries
):
    readers = [
        subscriber(f"leser{index}@example.org", newsroom["syrien"], newsroom["berger"])
        for index in range(20)
    ]
    articles = [
        ArticlePageFactory(
            parent=newsroom["ressort"],
            topics=[newsroom["syrien"]],
            authors=[newsroom["berger"]],
            publish=False,
        )
        for _ in range(3)
    ]
    Site.get_site_root_paths()
    pairs = [(reader.pk, article.pk) for reader in readers for article in articles]
    # Pages, parents, topics, authors, follows, then the names of the topic and the author.
    with django_assert_num_queries(7):
        reasons = selectors.delivery_reasons(pairs)
    assert len(reasons) == 60
    assert {item.name for found in reasons.values() for item in found} == {"Syrien", "Anna Berger"}
