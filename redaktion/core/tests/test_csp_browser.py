"""The Content-Security-Policy in a real Chromium: the reader's pages, the admin's dashboard
and page editor, and a page preview load without a single violation the browser reports."""

import pytest
from django.conf import settings
from django.test import Client

from redaktion.desk.tests.helpers import make_user
from redaktion.news.tests.test_browser import build_journey_newsroom, ensure_site_tree

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def violations_on(context, base, paths) -> dict[str, list[str]]:
    """The CSP violations the browser reports on each path (securitypolicyviolation events
    and the console's "Content Security Policy" errors)."""
    found = {}
    page = context.new_page()
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.add_init_script(
        """document.addEventListener('securitypolicyviolation', (e) =>
            console.error('Content Security Policy violation: ' + e.violatedDirective
                          + ' ' + e.blockedURI));"""
    )
    for path in paths:
        messages.clear()
        response = page.goto(base + path)
        assert response.status < 400, (path, response.status)
        page.wait_for_load_state("networkidle")
        found[path] = [text for text in messages if "Content Security Policy" in text]
    page.close()
    return found


def test_reader_pages_admin_and_preview_load_without_violations(live_server, chromium):
    ensure_site_tree()
    newsroom = build_journey_newsroom()
    article = newsroom["article"]
    reader = chromium.new_context()
    reader_paths = ["/", article.url, newsroom["politik"].url, "/suche/?q=Bundestag"]
    assert violations_on(reader, live_server.url, reader_paths) == dict.fromkeys(reader_paths, [])

    client = Client()
    client.force_login(make_user("chefin", superuser=True))
    editor = chromium.new_context()
    editor.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    admin_paths = [
        "/admin/",
        f"/admin/pages/{article.pk}/edit/",
        f"/admin/pages/{article.pk}/view_draft/",
    ]
    assert violations_on(editor, live_server.url, admin_paths) == dict.fromkeys(admin_paths, [])
