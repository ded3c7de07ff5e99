"""Debian's chromium, as the browser tests (conftest.py) and the page checks (bench/) start it.

A module of its own so that both share one list of flags without one importing the other;
and the page helpers the browser tests of several apps use.
"""

import time

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# Any request off this machine fails at once, so a page that needs one shows it (and the
# request is still seen, so it can be counted).
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"


def pause_clock(page) -> None:
    """Playwright's clock in ``page``, standing still from now on: the page's timers fire
    only when the test moves it on (``page.clock.run_for``)."""
    now = time.time()
    page.clock.install(time=now)
    page.clock.pause_at(now + 1)


# Before any of the page's own scripts: note each script element that has run (its ``load``
# event comes after it ran) or failed to load.
_NOTE_SCRIPTS = """
window.__scriptsDone = new Set();
["load", "error"].forEach(function (type) {
  document.addEventListener(type, function (event) {
    if (event.target instanceof HTMLScriptElement) {
      window.__scriptsDone.add(event.target);
    }
  }, true);
});
"""
_ALL_SCRIPTS_DONE = """() => !document.querySelector("template[data-after-paint]")
    && Array.from(document.scripts)
        .every((script) => !script.src || window.__scriptsDone.has(script))"""


def note_scripts(context) -> None:
    """Let ``scripts_ran`` see the scripts of every page ``context`` opens from now on."""
    context.add_init_script(_NOTE_SCRIPTS)


def scripts_ran(page) -> None:
    """Wait until the page has started its after-paint scripts and each has run.

    The reader pages start their scripts after the first paint (``redaktion.core.scripts``),
    which can be after the ``load`` event: a click before then gets what a browser without
    script gets, e.g. a follow button's link instead of its dialog."""
    if not page.evaluate("() => window.__scriptsDone instanceof Set"):
        raise RuntimeError("scripts_ran needs note_scripts on the page's context")
    page.wait_for_function(_ALL_SCRIPTS_DONE)
