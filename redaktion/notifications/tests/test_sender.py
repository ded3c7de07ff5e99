"""Readers' mails come from the brand and say what is followed."""

import pytest
from django.utils import translation
from wagtail.models import Site

from redaktion.core.models import BrandSettings
from redaktion.notifications import messages
from redaktion.notifications.models import FollowKind
from redaktion.notifications.selectors import FollowItem

pytestmark = pytest.mark.django_db


def test_the_opt_in_comes_from_the_brand_and_names_what_is_followed(settings):
    settings.DEFAULT_FROM_EMAIL = "alerts@news.example.org"
    site = Site.objects.get(is_default_site=True)
    BrandSettings.objects.update_or_create(site=site, defaults={"name": "Rheinische Post"})
    follows = [
        FollowItem(FollowKind.RESSORT, 1, "Politik", "/politik/"),
        FollowItem(FollowKind.TOPIC, 2, "Bundeshaushalt", "/thema/bundeshaushalt/"),
        FollowItem(FollowKind.AUTHOR, 3, "Anna Berg", "/autor/anna-berg/"),
    ]

    mail = messages.confirmation_email(
        email="leserin@example.org", language="de", token="t", follows=follows
    )

    assert mail.from_email == "Rheinische Post <alerts@news.example.org>"
    assert "Rheinische Post" in mail.subject
    for described in ("das Ressort Politik", "das Thema Bundeshaushalt", "Artikel von Anna Berg"):
        assert described in mail.body
    with translation.override("en"):
        assert follows[1].described == "the topic Bundeshaushalt"


def test_without_a_brand_the_site_name_signs(settings):
    settings.WAGTAIL_SITE_NAME = "Redaktion"
    settings.DEFAULT_FROM_EMAIL = "alerts@news.example.org"
    BrandSettings.objects.all().delete()
    assert messages.sender(messages.brand_name()).startswith("Redaktion")
