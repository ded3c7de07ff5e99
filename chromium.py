"""Debian's chromium, as the browser tests (conftest.py) and the page checks (bench/) start it.

A module of its own so that both share one list of flags without one importing the other.
"""

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
