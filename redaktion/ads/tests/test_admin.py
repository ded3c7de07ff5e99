"""The admin: campaigns and slots as snippets with German labels, the delivery report with
CSV export, and saving a campaign drops the snapshot so the next decision sees it."""

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from redaktion.ads import snapshot
from redaktion.ads.factories import CampaignFactory, CreativeFactory, slot_enable
from redaktion.ads.models import Campaign, Placement
from redaktion.ads.services import ads_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("chef", "chef@example.org", "pw")
    client.force_login(user)
    return client


def test_campaign_and_slot_editors_render_in_german(admin_client):
    campaign = CreativeFactory().campaign
    for url in (
        reverse("wagtailsnippets_ads_campaign:add"),
        reverse("wagtailsnippets_ads_campaign:edit", args=[campaign.pk]),
        reverse("wagtailsnippets_ads_slot:list"),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
    page = admin_client.get(reverse("wagtailsnippets_ads_campaign:add")).content.decode()
    for label in ("Buchungszeitraum", "Aussteuerung", "Tageslimit", "Werbemittel", "Priorität"):
        assert label in page


def test_creating_a_campaign_in_the_admin_puts_it_into_delivery(
    admin_client, django_capture_on_commit_callbacks
):
    slot = slot_enable(Placement.RIVER)
    from redaktion.ads.delivery import decide

    assert decide([Placement.RIVER.value]) == [None]
    data = {
        "name": "Frühjahr",
        "advertiser": "Gartenwelt",
        "kind": "paid",
        "active": "on",
        "starts_at": "2020-01-01 00:00",
        "ends_at": "2099-01-01 00:00",
        "slots": [str(slot.pk)],
        "run_of_site": "on",
        "priority": "5",
        "weight": "10",
        "even_pacing": "on",
        "creatives-TOTAL_FORMS": "1",
        "creatives-INITIAL_FORMS": "0",
        "creatives-MIN_NUM_FORMS": "1",
        "creatives-MAX_NUM_FORMS": "1000",
        "creatives-0-kind": "native",
        "creatives-0-title": "Tulpen im Angebot",
        "creatives-0-target_url": "https://gartenwelt.example/",
        "creatives-0-ORDER": "1",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("wagtailsnippets_ads_campaign:add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    campaign = Campaign.objects.get(name="Frühjahr")
    [decision] = decide([Placement.RIVER.value])
    assert decision.campaign_id == campaign.pk and "Tulpen im Angebot" in decision.html


def test_delivery_report_lists_campaign_days_and_exports_csv(admin_client):
    campaign = CampaignFactory(name="Sommer", advertiser="Reisewelt")
    ads_count(day=date(2026, 6, 1), impressions={campaign.pk: 1200}, clicks={campaign.pk: 6})
    ads_count(day=date(2026, 6, 2), impressions={campaign.pk: 800})
    url = reverse("ads_report")
    page = admin_client.get(url).content.decode()
    # German on screen: dates, thousands and decimal separators; no "… hours ago".
    assert "Sommer" in page and "0,50 %" in page and "0,00 %" in page
    assert "01.06.2026" in page and "02.06.2026" in page and "1.200" in page
    response = admin_client.get(url, {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == [
        "Tag",
        "Werbekunde",
        "Kampagne",
        "Kampagnen-ID",
        "Sichtkontakte",
        "Klicks",
        "Klickrate",
    ]
    assert rows[1:] == [
        ["2026-06-02", "Reisewelt", "Sommer", str(campaign.pk), "800", "0", "0.0"],
        ["2026-06-01", "Reisewelt", "Sommer", str(campaign.pk), "1200", "6", "0.005"],
    ]
    xlsx = admin_client.get(url, {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    day, *_rest, rate = [cell.value for cell in sheet[3]]
    assert day == date(2026, 6, 1) and rate == 0.005  # real cells, not text
    filtered = admin_client.get(url, {"export": "csv", "day_from": "2026-06-02"})
    text = b"".join(filtered.streaming_content).decode()
    assert len(list(csv.reader(io.StringIO(text)))) == 2


def test_report_is_for_ad_operations_only(client):
    user = get_user_model().objects.create_user("leser", "leser@example.org", "pw")
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(reverse("ads_report")).status_code in (302, 403)
    snapshot.forget()
