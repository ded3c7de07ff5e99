"""Subscriptions' edges: a deletion voids the confirmation links requested before it, and
internationalised addresses are accepted."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from redaktion.notifications import services, tokens
from redaktion.notifications.forms import ManageLinkForm
from redaktion.notifications.models import DeletedAddress, Subscriber

from .conftest import links, path_of
from .test_email_flow import confirm_from_mail, subscribe

pytestmark = pytest.mark.django_db(transaction=False)


def test_a_confirmation_link_is_void_after_delete_my_data(mailbox, newsroom):
    client = Client()
    subscribe(client, newsroom, "leserin@example.org", "syrien")
    first_link = mailbox.received[0]
    confirm_from_mail(client, first_link)
    subscriber = Subscriber.objects.get(email="leserin@example.org")

    services.subscriber_delete(subscriber=subscriber)
    assert DeletedAddress.objects.count() == 1
    assert not DeletedAddress.objects.filter(digest__contains="leserin").exists()

    confirm_path = path_of(next(url for url in links(first_link) if "/bestaetigen/" in url))
    for response in (client.get(confirm_path), client.post(confirm_path)):
        assert response.status_code == 400
        assert "invalid or has expired" in response.content.decode() or "abgelaufen" in (
            response.content.decode()
        )
    assert not Subscriber.objects.exists()

    # Subscribing again after the deletion works as before.
    with time_machine.travel(timezone.now() + timedelta(seconds=1)):
        subscribe(client, newsroom, "leserin@example.org", "syrien")
        confirm_from_mail(client, mailbox.received[-1])
    assert Subscriber.objects.filter(email="leserin@example.org").exists()


def test_deletion_marks_are_dropped_once_the_links_they_void_have_expired(db):
    first = Subscriber.objects.create(
        channel="email",
        email="a@example.org",
        key="x",
        consent_text="ja",
        consented_at=timezone.now(),
    )
    services.subscriber_delete(subscriber=first)
    later = timezone.now() + timedelta(seconds=tokens.CONFIRM_MAX_AGE + 1)
    with time_machine.travel(later):
        other = Subscriber.objects.create(
            channel="email", email="b@example.org", key="x", consent_text="ja", consented_at=later
        )
        services.subscriber_delete(subscriber=other)
    assert DeletedAddress.objects.get().digest == DeletedAddress.digest_of("b@example.org")


def test_an_internationalised_address_is_accepted_and_mailed_with_its_domain_in_punycode(
    mailbox, newsroom
):
    client = Client()
    response = subscribe(client, newsroom, "juergen@BÜCHER.de", "syrien")
    assert response.status_code == 200
    [mail] = mailbox.received
    assert mail["To"] == "juergen@xn--bcher-kva.de"
    confirm_from_mail(client, mail)
    assert Subscriber.objects.get().email == "juergen@bücher.de"


def test_a_unicode_local_part_passes_the_form(newsroom):
    form = ManageLinkForm({"email": "jürgen@bücher.de"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["email"] == "jürgen@bücher.de"
    assert not ManageLinkForm({"email": "jürgen@bü cher.de"}).is_valid()
    assert not ManageLinkForm({"email": "jür gen@bücher.de"}).is_valid()
