"""The decision, impression and click endpoints: no cookies, never cached, signed tokens,
robots ignored; and the cached page carries the empty slot only."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from redaktion.ads.factories import NATIVE_TITLE, running_native_campaign
from redaktion.ads.models import CampaignDay, Placement
from redaktion.ads.signing import CLICK_TOKEN_SECONDS, CLICK_URL_MARK, click_url, view_token

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0"


@pytest.fixture
def campaign(db):
    return running_native_campaign()


def impressions(campaign) -> int:
    return sum(CampaignDay.objects.filter(campaign=campaign).values_list("impressions", flat=True))


def clicks(campaign) -> int:
    return sum(CampaignDay.objects.filter(campaign=campaign).values_list("clicks", flat=True))


def beacon(client, *tokens, user_agent=BROWSER):
    return client.post(
        reverse("ads:impression"),
        data="\n".join(tokens),
        content_type="text/plain",
        headers={"user-agent": user_agent},
    )


def test_decision_answers_json_per_slot_without_cookies_and_uncached(client, campaign):
    response = client.get(
        reverse("ads:decision"), {"slot": ["river", "home", "river"], "ressort": "7"}
    )
    assert response.status_code == 200
    ads = response.json()["ads"]
    assert ads[1] is None  # the home slot is not enabled
    assert ads[0]["slot"] == "river" and NATIVE_TITLE in ads[0]["html"]
    assert ads[2] is None  # one campaign: never twice on a page
    assert not response.cookies
    assert "no-store" in response["Cache-Control"]
    assert response["Server-Timing"].startswith("ads;dur=")
    # A second request gets fresh tokens: nothing was stored by the page cache.
    again = client.get(reverse("ads:decision"), {"slot": ["river"]}).json()["ads"][0]
    assert again["token"] != ads[0]["token"]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"slot": ["x"]}, "slot", "x is not one of the available choices"),
        ({"slot": ["river"] * 13}, "slot", "At most 12 slots"),
        ({}, "slot", "This field is required"),
        ({"slot": ["river"], "ressort": "abc"}, "ressort", "Enter a whole number"),
        ({"slot": ["river"], "topic": ["3", "drei"]}, "topic", "“drei” is not an id"),
        ({"slot": ["river"], "topic": [str(n) for n in range(1, 32)]}, "topic", "At most 30"),
        ({"slot": ["home"], "width": ["358px"]}, "width", "“358px” is not a width in pixels"),
        ({"slot": ["home"], "width": ["0"]}, "width", "“0” is not a width in pixels"),
    ],
)
def test_bad_parameters_are_named_and_change_nothing(client, campaign, params, field, message):
    with translation.override("en"):
        response = client.get(reverse("ads:decision"), params)
    assert response.status_code == 400
    assert response.headers["Cache-Control"].startswith("max-age=0")
    assert message in " ".join(response.json()["errors"][field])
    assert impressions(campaign) == 0


def test_a_view_token_counts_once(client, campaign):
    token = view_token(campaign_id=campaign.pk, creative_id=campaign.creatives.get().pk)
    response = beacon(client, token)
    assert response.status_code == 204 and not response.cookies
    beacon(client, token)
    assert impressions(campaign) == 1


def test_several_views_in_one_beacon_are_counted_together(client, campaign):
    creative = campaign.creatives.get()
    tokens = [view_token(campaign_id=campaign.pk, creative_id=creative.pk) for _ in range(3)]
    beacon(client, *tokens)
    assert impressions(campaign) == 3
    assert CampaignDay.objects.filter(campaign=campaign).count() == 1


def test_forged_and_expired_tokens_count_nothing(client, campaign):
    creative = campaign.creatives.get()
    token = view_token(campaign_id=campaign.pk, creative_id=creative.pk)
    value, signature = token.rsplit(":", 1)
    forged = f"{campaign.pk + 1}{value[len(str(campaign.pk)) :]}:{signature}"
    beacon(client, forged, "junk", f"{campaign.pk}.{creative.pk}.abc")
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        beacon(client, token)
    assert impressions(campaign) == 0


@pytest.mark.parametrize(
    "user_agent",
    [
        "",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0 Safari/537.36",
        "facebookexternalhit/1.1",
        "curl/8.5.0",
    ],
)
def test_known_robots_are_not_counted(client, campaign, user_agent):
    token = view_token(campaign_id=campaign.pk, creative_id=campaign.creatives.get().pk)
    beacon(client, token, user_agent=user_agent)
    assert impressions(campaign) == 0


def test_the_impression_endpoint_takes_only_post(client, campaign):
    assert client.get(reverse("ads:impression")).status_code == 405


def test_click_redirects_to_the_target_and_counts(client, campaign):
    creative = campaign.creatives.get()
    url = click_url(campaign_id=campaign.pk, creative_id=creative.pk)
    response = client.get(url, headers={"user-agent": BROWSER})
    assert response.status_code == 302
    assert response["Location"] == creative.target_url
    assert not response.cookies and "no-store" in response["Cache-Control"]
    client.get(url, headers={"user-agent": "Googlebot/2.1"})
    assert clicks(campaign) == 1


def test_a_replayed_click_link_redirects_but_counts_nothing(client, campaign):
    creative = campaign.creatives.get()
    url = click_url(campaign_id=campaign.pk, creative_id=creative.pk)
    for _ in range(3):
        response = client.get(url, headers={"user-agent": BROWSER})
        assert response["Location"] == creative.target_url
    assert clicks(campaign) == 1


def test_a_click_link_expires(client, campaign):
    creative = campaign.creatives.get()
    url = click_url(campaign_id=campaign.pk, creative_id=creative.pk)
    later = timezone.now() + timedelta(seconds=CLICK_TOKEN_SECONDS + 1)
    with time_machine.travel(later):
        assert client.get(url, headers={"user-agent": BROWSER}).status_code == 404
    assert clicks(campaign) == 0


def test_each_decision_links_to_a_click_url_of_its_own(client, campaign):
    urls = set()
    for _ in range(2):
        [ad] = client.get(reverse("ads:decision"), {"slot": "river"}).json()["ads"]
        assert CLICK_URL_MARK not in ad["html"]
        urls.add(ad["html"].split('href="', 1)[1].split('"', 1)[0])
    assert len(urls) == 2
    response = client.get(urls.pop(), headers={"user-agent": BROWSER})
    assert response.status_code == 302
    assert clicks(campaign) == 1


def test_forged_click_goes_nowhere(client, campaign):
    creative = campaign.creatives.get()
    url = click_url(campaign_id=campaign.pk, creative_id=creative.pk)
    assert client.get(url[:-3] + "xx/").status_code == 404
    other = click_url(campaign_id=campaign.pk, creative_id=creative.pk + 1)
    assert client.get(other).status_code == 404
    assert clicks(campaign) == 0


def test_the_cached_page_carries_the_empty_slot_only(client, campaign, home_page):
    from redaktion.news.factories import ArticlePageFactory, RessortPageFactory

    ressort = RessortPageFactory(parent=home_page, title="Politik", publish=False)
    for n in range(14):
        ArticlePageFactory(parent=ressort, title=f"Artikel {n}", publish=False)
    first = client.get("/")
    html = first.content.decode()
    river = html.split('class="river"')[1]
    # The lead story and the Ressort block take five: nine in the river, a slot after 4 and 8.
    assert river.count('<article class="teaser') == 9
    assert river.count(f'data-ad-slot="{Placement.RIVER.value}"') == 2
    assert html.count("ads/ads.js") == 1
    assert NATIVE_TITLE not in html and "Anzeige" not in html
    assert client.get("/").content == first.content
