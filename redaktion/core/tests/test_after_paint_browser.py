"""The reader pages' scripts start after the first paint, and all of them start, under the
site's Content-Security-Policy (redaktion.core.scripts)."""

import pytest

from redaktion.news.tests.test_browser import build_journey_newsroom, ensure_site_tree

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCRIPT_TIMES = """() => {
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    const scripts = performance.getEntriesByType("resource")
        .filter((entry) => entry.initiatorType === "script" || entry.name.endsWith(".js"));
    return {
        paint: paint && paint.startTime,
        scripts: scripts.map((entry) => [entry.name.split("/").slice(-2).join("/"),
                                          entry.startTime]),
        waiting: document.querySelectorAll("template[data-after-paint]").length,
        running: Array.from(document.scripts, (script) => script.src).filter(Boolean)
            .map((src) => src.split("/").slice(-2).join("/")),
    };
}"""


def test_scripts_are_requested_after_the_first_paint_and_all_run(live_server, chromium):
    ensure_site_tree()
    article = build_journey_newsroom()["article"]
    page = chromium.new_page(viewport={"width": 390, "height": 844})
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(live_server.url + article.url)
    page.wait_for_load_state("networkidle")
    found = page.evaluate(SCRIPT_TIMES)
    page.close()

    assert found["waiting"] == 0
    names = {name.split("/")[-1].split(".")[0] for name in found["running"]}
    assert {"breaking", "search", "follow", "reads"} <= names
    assert found["paint"] is not None
    requested = [(name, start) for name, start in found["scripts"] if name.endswith(".js")]
    assert len(requested) == len(found["running"])
    assert all(start >= found["paint"] for _, start in requested), (found["paint"], requested)
    assert not [text for text in messages if "Content Security Policy" in text]
