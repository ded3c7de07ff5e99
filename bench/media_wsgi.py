"""The site's WSGI application with /media/ served in front of it, as nginx does in production.

Only for the page checks (``bench/demosite.py``): Django serves media files only with DEBUG on,
and the checks run with DEBUG off. Files are read from MEDIA_ROOT at request time, so
renditions made while rendering a page are found at once.
"""

import mimetypes
from pathlib import Path

from django.conf import settings

from redaktion.wsgi import application as site

MEDIA_ROOT = Path(settings.MEDIA_ROOT).resolve()
PREFIX = settings.MEDIA_URL


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    if not path.startswith(PREFIX):
        return site(environ, start_response)
    target = (MEDIA_ROOT / path[len(PREFIX) :]).resolve()
    if not target.is_file() or not target.is_relative_to(MEDIA_ROOT):
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"Not Found"]
    data = target.read_bytes()
    start_response(
        "200 OK",
        [
            ("Content-Type", mimetypes.guess_type(target.name)[0] or "application/octet-stream"),
            ("Content-Length", str(len(data))),
            ("Cache-Control", "public, max-age=31536000, immutable"),
        ],
    )
    return [data]
