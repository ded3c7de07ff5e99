"""A reader keeps a Liveticker open in Chromium while an editor posts: "1 neuer Eintrag"
appears within the poll interval, and the entry after a click; on a desktop and a phone."""

import pytest
from django.contrib.auth import get_user_model

from redaktion.news.factories import (
    LiveTickerEntryFactory,
    LiveTickerPageFactory,
    RessortPageFactory,
)
from redaktion.news.live_services import entry_publish
from redaktion.news.models import HomePage

from .newsroom import build_brand
from .test_browser import PHONE, ensure_site_tree

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

POLL_SECONDS = 1


@pytest.fixture
def ticker(settings):
    settings.LIVE_POLL_INTERVAL_SECONDS = POLL_SECONDS
    # The browser keeps an answer as long as it may be reused: never longer than a poll.
    settings.LIVE_POLL_SECONDS = POLL_SECONDS
    ensure_site_tree()
    build_brand()
    home = HomePage.objects.get(depth=2)
    politik = RessortPageFactory(parent=home, title="Politik", slug="politik")
    page = LiveTickerPageFactory(parent=politik, title="Gipfel im Liveticker")
    LiveTickerEntryFactory(ticker=page, title="Die Delegationen treffen ein")
    return page


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("cvd", "cvd@example.org", "x" * 12)


def _post(editor, ticker, title):
    entry = LiveTickerEntryFactory.build(ticker=None, title=title)
    return entry_publish(user=editor, ticker=ticker, entry=entry)


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_reader_sees_the_new_entry_after_a_click(
    browser_page, live_server, ticker, editor, viewport
):
    page = browser_page
    if viewport:
        page.set_viewport_size(viewport)
    page.goto(live_server.url + ticker.url)
    assert page.locator(".live-entry__title").all_inner_texts() == ["Die Delegationen treffen ein"]
    button = page.locator(".live__new-button")
    assert not button.is_visible()

    entry = _post(editor, ticker, "Die Gespräche beginnen")
    button.wait_for(state="visible", timeout=(2 * POLL_SECONDS + 1) * 1000)
    assert button.inner_text() == "1 neuer Eintrag"
    # Nothing moved under the reader's eyes before the click.
    assert page.locator(f"#eintrag-{entry.pk}").count() == 0
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]

    button.click()
    titles = page.locator(".live__stream .live-entry__title").all_inner_texts()
    assert titles == ["Die Gespräche beginnen", "Die Delegationen treffen ein"]
    assert not button.is_visible()

    _post(editor, ticker, "Erste Ergebnisse")
    _post(editor, ticker, "Pressekonferenz angekündigt")
    page.locator(".live__new-button", has_text="2 neue Einträge").wait_for(
        timeout=(2 * POLL_SECONDS + 1) * 1000
    )
