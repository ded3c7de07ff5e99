"""Debian's chromium, as the browser tests (conftest.py) and the page checks (bench/) start it.

A module of its own so that both share one list of flags without one importing the other;
and ``pause_clock``, which the browser tests of several apps use.
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
