"""The Liveticker's admin desk: a new entry in two taps for the Ressort's Autoren, a
correction marked as updated, no access for anyone else."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from redaktion.news.factories import (
    LiveTickerEntryFactory,
    LiveTickerPageFactory,
    RessortPageFactory,
)
from redaktion.news.live import LiveTickerEntry

pytestmark = pytest.mark.django_db


def _autor(django_user_model, name, ressort):
    user = django_user_model.objects.create_user(name, password="x" * 12)
    group = Group.objects.create(name=f"Test: {ressort.title}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    add_page = Permission.objects.get(content_type__app_label="wagtailcore", codename="add_page")
    GroupPagePermission.objects.create(group=group, page=ressort, permission=add_page)
    user.groups.add(group)
    return user


@pytest.fixture
def politik(home_page):
    return RessortPageFactory(parent=home_page, title="Politik", slug="politik")


@pytest.fixture
def ticker(politik):
    return LiveTickerPageFactory(parent=politik, title="Gipfel im Liveticker")


def _entry_data(text, **extra):
    return nested_form_data(
        {"title": "", "body": streamfield([("paragraph", rich_text(f"<p>{text}</p>"))]), **extra}
    )


def test_autor_of_the_ressort_posts_an_entry_at_once(client, django_user_model, politik, ticker):
    client.force_login(_autor(django_user_model, "autorin", politik))
    desk = reverse("news_live_desk", args=[ticker.pk])
    # The Ressort's page list offers "Neuer Eintrag" beside the ticker (tap one) ...
    listing = client.get(reverse("wagtailadmin_explore", args=[politik.pk]))
    assert f'href="{desk}"' in listing.content.decode()
    page = client.get(desk)
    assert page.status_code == 200
    assert "Veröffentlichen" in page.content.decode()
    # ... and "Veröffentlichen" (tap two) publishes.
    response = client.post(desk, _entry_data("Die Delegationen sind eingetroffen."))
    assert response.status_code == 302
    entry = LiveTickerEntry.objects.get(ticker=ticker)
    assert entry.updated_at is None
    assert "Die Delegationen sind eingetroffen." in client.get(ticker.url).content.decode()


def test_correction_shows_updated(client, django_user_model, politik, ticker):
    client.force_login(_autor(django_user_model, "autorin", politik))
    entry = LiveTickerEntryFactory(ticker=ticker)
    url = reverse("news_live_entry", args=[ticker.pk, entry.pk])
    data = _entry_data("Korrigierte Fassung", posted_at=entry.posted_at.strftime("%Y-%m-%d %H:%M"))
    assert client.post(url, data).status_code == 302
    entry.refresh_from_db()
    assert entry.updated_at is not None
    html = client.get(ticker.url).content.decode()
    assert "Korrigierte Fassung" in html and "aktualisiert" in html


def test_autor_of_another_ressort_is_refused(client, django_user_model, home_page, politik, ticker):
    sport = RessortPageFactory(parent=home_page, title="Sport", slug="sport")
    client.force_login(_autor(django_user_model, "fremd", sport))
    desk = reverse("news_live_desk", args=[ticker.pk])
    listing = client.get(reverse("wagtailadmin_explore", args=[politik.pk]))
    assert desk not in listing.content.decode()
    # The admin answers a refused view by sending the user home.
    assert client.get(desk)["Location"] == reverse("wagtailadmin_home")
    assert client.post(desk, _entry_data("Nein"))["Location"] == reverse("wagtailadmin_home")
    assert not LiveTickerEntry.objects.exists()
