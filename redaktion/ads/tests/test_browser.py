"""In a real Chromium: the ad arrives in the river's slot, labelled, and is counted once,
only after half of it was visible for a second; a third-party tag waits for consent.

The site runs on pytest-django's ``live_server``; the browser context has a desktop user
agent (the default headless one is filtered as a robot). The page's clock is Playwright's
(``page.clock``): the tests move it on instead of waiting for the slot's one-second timer.
"""

import time

import pytest
from django.urls import reverse

from chromium import pause_clock
from redaktion.ads.factories import (
    NATIVE_TITLE,
    CampaignFactory,
    CreativeFactory,
    running_native_campaign,
    slot_enable,
)
from redaktion.ads.models import CampaignDay, Placement, Size
from redaktion.news.factories import ArticlePageFactory, RessortPageFactory
from redaktion.news.tests.newsroom import build_brand
from redaktion.news.tests.test_browser import ensure_site_tree

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def newsroom(db):
    from redaktion.news.models import HomePage

    ensure_site_tree()
    home = HomePage.objects.get(depth=2)
    build_brand()
    # Live pages without the publish pipeline: these tests are about the river's ad slot.
    ressort = RessortPageFactory(parent=home, title="Politik", slug="politik", publish=False)
    for n in range(14):
        ArticlePageFactory(parent=ressort, title=f"Meldung Nummer {n}", publish=False)
    return home


def impressions() -> int:
    return sum(CampaignDay.objects.values_list("impressions", flat=True))


def in_view(slot) -> bool:
    """Whether half of ``slot`` is on screen, answered once the page's IntersectionObservers
    have been told: a new observer's first report comes in the same task as, and after, the
    reports of the observers created before it (the slot's, which starts or stops its
    timer)."""
    return slot.evaluate(
        """(slot) => new Promise((resolve) => new IntersectionObserver((entries, observer) => {
            observer.disconnect();
            resolve(entries[0].intersectionRatio >= 0.5);
        }, {threshold: [0, 0.5, 1]}).observe(slot))"""
    )


def beacons(reader) -> list[str]:
    """The impression beacons the page sends, as the browser starts them."""
    beacon = reverse("ads:impression")
    sent = []

    def seen(request):
        if beacon in request.url:
            sent.append(request.url)

    reader.on("request", seen)
    return sent


def wait_for_count(expected: int, seconds: float = 5) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if impressions() >= expected:
            break
        time.sleep(0.1)
    return impressions()


def test_an_impression_is_counted_once_after_the_slot_was_visible(newsroom, live_server, reader):
    running_native_campaign()
    sent = beacons(reader)
    pause_clock(reader)
    reader.goto(live_server.url + "/")
    slot = reader.locator('[data-ad-slot="river"].ad-slot--filled').first
    slot.wait_for(state="attached")
    assert "Anzeige" in slot.text_content()
    assert NATIVE_TITLE in slot.text_content()
    link = slot.locator("a")
    assert link.get_attribute("rel") == "sponsored noopener"
    assert not reader.context.cookies()

    # Below the fold: nothing is counted, however long the reader stays at the top.
    assert not slot.is_visible() or slot.bounding_box()["y"] > 900
    assert not in_view(slot)
    reader.clock.run_for(1500)
    assert slot.get_attribute("data-ad-counted") is None
    assert impressions() == 0

    slot.scroll_into_view_if_needed()
    assert in_view(slot)
    reader.clock.run_for(900)
    assert slot.get_attribute("data-ad-counted") is None  # not before a second
    reader.clock.run_for(200)  # the second, and the beacon's 50 ms
    reader.wait_for_selector('[data-ad-slot="river"][data-ad-counted]', timeout=5000)
    assert wait_for_count(1) == 1
    reader.clock.run_for(1500)  # staying on it, or scrolling back, counts no more
    reader.mouse.wheel(0, -5000)
    assert not in_view(slot)
    reader.clock.run_for(300)
    slot.scroll_into_view_if_needed()
    assert in_view(slot)
    reader.clock.run_for(1500)
    reader.wait_for_timeout(300)  # real time for a beacon under way to arrive
    assert len(sent) == 1
    assert impressions() == 1


def test_a_glimpse_shorter_than_a_second_is_not_counted(newsroom, live_server, reader):
    running_native_campaign()
    sent = beacons(reader)
    pause_clock(reader)
    reader.goto(live_server.url + "/")
    slot = reader.locator('[data-ad-slot="river"].ad-slot--filled').first
    slot.wait_for(state="attached")
    slot.scroll_into_view_if_needed()
    assert in_view(slot)
    reader.clock.run_for(400)
    reader.evaluate("window.scrollTo(0, 0)")
    assert not in_view(slot)
    reader.clock.run_for(1500)
    assert slot.get_attribute("data-ad-counted") is None
    reader.wait_for_timeout(300)  # real time for a beacon under way to arrive
    assert sent == []
    assert impressions() == 0


def test_a_third_party_tag_loads_only_after_consent_in_a_sandbox(newsroom, live_server, reader):
    slot_enable(Placement.HOME, size=Size.BILLBOARD)
    campaign = CampaignFactory(advertiser="Werbenetz")
    CreativeFactory(
        campaign=campaign,
        kind="tag",
        tag_html=(
            "<p id='hallo'>Hallo aus dem Rahmen</p><p id='skript'></p>"
            "<script>document.getElementById('skript').textContent='Skript lief';"
            "try { document.cookie='x=1' } catch (e) {}</script>"
        ),
    )
    reader.goto(live_server.url + "/")
    slot = reader.locator('[data-ad-slot="home"].ad-slot--filled')
    slot.wait_for(state="attached")
    assert "Anzeige" in slot.text_content() and "Werbenetz" in slot.text_content()
    assert slot.locator("iframe").count() == 0
    slot.locator("button").click()
    frame = slot.locator("iframe")
    assert (
        frame.get_attribute("sandbox")
        == "allow-scripts allow-popups allow-popups-to-escape-sandbox"
    )
    inner = reader.frame_locator('[data-ad-slot="home"] iframe')
    assert inner.locator("#hallo").inner_text() == "Hallo aus dem Rahmen"
    # The tag's script runs in spite of the site's Content-Security-Policy.
    assert inner.locator("#skript").inner_text() == "Skript lief"
    assert not reader.context.cookies()
