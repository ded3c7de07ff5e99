"""A reader subscribes through the follow box in Debian's chromium; the confirmation mail
reaches the real SMTP server, and its link confirms the subscription in the browser."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from chromium import scripts_ran
from redaktion.news.factories import ArticlePageFactory, RessortPageFactory, TopicFactory
from redaktion.news.tests.test_browser import ensure_site_tree
from redaktion.notifications.models import Subscriber

from .conftest import links

AXE = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_subscribe_through_the_follow_box(browser_page, live_server, mailbox, settings):
    from redaktion.news.models import HomePage

    ensure_site_tree()
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    home = HomePage.objects.get(depth=2)
    politik = RessortPageFactory(parent=home, title="Politik", slug="politik")
    energie = TopicFactory(name="Energie", slug="energie")
    article = ArticlePageFactory(parent=politik, title="Netzausbau kommt voran", topics=[energie])

    page = browser_page
    page.goto(f"{live_server.url}{article.url}")
    scripts_ran(page)
    row = page.locator(".article__rows .follow")
    assert "Benachrichtigung über neue Artikel:" in row.locator(".rowline").inner_text()
    dialog = page.locator("dialog[data-follow-dialog]")
    expect(dialog).to_be_hidden()
    row.get_by_role("link", name="Thema Energie").click()
    expect(dialog).to_be_visible()
    # The button's target is ticked, nothing else.
    assert dialog.locator("input[name=follow]:checked").evaluate_all(
        "inputs => inputs.map((input) => input.value)"
    ) == [f"topic:{energie.pk}"]
    assert dialog.get_by_role("heading").inner_text() == "Benachrichtigung über neue Artikel:"
    # axe-core from the site's own origin: the Content-Security-Policy runs no inline script.
    page.route(f"{live_server.url}/axe.min.js", lambda route: route.fulfill(path=str(AXE)))
    page.add_script_tag(url=f"{live_server.url}/axe.min.js")
    for part in ("dialog[data-follow-dialog]", ".article__rows"):
        result = page.evaluate(
            "(part) => axe.run(document.querySelector(part), {runOnly: {type: 'tag', "
            "values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})",
            part,
        )
        assert [violation["id"] for violation in result["violations"]] == [], part
    box = dialog
    trap = box.get_by_label("Dieses Feld bitte leer lassen").bounding_box()
    assert trap["x"] + trap["width"] <= 0  # the honeypot is off-screen
    box.get_by_label("Politik").check()
    box.get_by_label("E-Mail-Adresse").fill("leserin@example.org")
    box.get_by_label("Tägliche Zusammenfassung um").check()
    box.get_by_label("Uhrzeit der täglichen Zusammenfassung").select_option("6")
    box.get_by_role("button", name="Abonnieren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bitte sehen Sie in Ihr Postfach")

    [mail] = mailbox.received
    assert mail["To"] == "leserin@example.org"
    confirm = next(url for url in links(mail) if "/bestaetigen/" in url)
    assert confirm.startswith(live_server.url)
    page.goto(confirm)
    page.get_by_role("button", name="Ja, ich möchte Benachrichtigungen").click()
    expect(page.locator("body")).to_contain_text("Ihre Benachrichtigungen sind bestätigt.")

    subscriber = Subscriber.objects.get()
    assert (subscriber.rhythm, subscriber.digest_hour) == ("daily", 6)
    assert sorted(subscriber.follows.values_list("kind", flat=True)) == ["ressort", "topic"]
    assert subscriber.language == django_settings.LANGUAGE_CODE


def test_without_script_a_follow_button_leads_to_the_subscribe_page(
    chromium, live_server, mailbox, settings
):
    from redaktion.news.models import HomePage

    ensure_site_tree()
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    home = HomePage.objects.get(depth=2)
    politik = RessortPageFactory(parent=home, title="Politik", slug="politik")
    article = ArticlePageFactory(parent=politik, title="Netzausbau kommt voran", topics=[])
    context = chromium.new_context(java_script_enabled=False, locale="de-DE")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}{article.url}")
        page.locator(".article__rows").get_by_role("link", name="Ressort Politik").click()
        page.wait_for_url(f"{live_server.url}/benachrichtigungen/abonnieren/**")
        chosen = " ".join(page.locator(".follow__chosen").text_content().split())
        assert chosen == "Benachrichtigung für: Ressort Politik"
        page.get_by_label("E-Mail-Adresse").fill("leser@example.org")
        page.get_by_role("button", name="Abonnieren").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Bitte sehen Sie in Ihr Postfach")
    finally:
        context.close()
    [mail] = mailbox.received
    assert mail["To"] == "leser@example.org"
