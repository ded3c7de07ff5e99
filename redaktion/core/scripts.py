"""The reader site's scripts start after the page's first paint.

Each script the templates include waits inert in a ``<template data-after-paint>``
(``{% after_paint_script %}``); one small inline script (``{% after_paint_loader %}``, the
file ``static/js/after-paint.js``) puts them into the page once the page has been parsed
and painted. The first paint then needs only the HTML, the stylesheet and the pictures in
view: on a slow phone connection the scripts (ads, read counting, follow form, search,
Eilmeldung) no longer share its bandwidth and connections. A browser without paint timing
runs them once the page has been parsed; none runs without JavaScript, as before.

The Content-Security-Policy allows the inline loader by its hash (``LOADER_HASH``), the
scripts by their origin as before.
"""

import base64
import hashlib
from pathlib import Path

LOADER_PATH = Path(__file__).resolve().parents[1] / "static" / "js" / "after-paint.js"
LOADER_SOURCE = LOADER_PATH.read_text()
_DIGEST = base64.b64encode(hashlib.sha256(LOADER_SOURCE.encode()).digest()).decode()
LOADER_HASH = f"'sha256-{_DIGEST}'"
