"""Editors' avatars drawn in the admin itself: initials on a coloured disc.

Wagtail asks Gravatar for every editor without an uploaded picture, which breaks offline
and sends a hash of each editor's address out of the house. The desk answers Wagtail's
``get_avatar_url`` hook instead with an SVG as a ``data:`` URL: no request, no file, and
the same colour for the same editor on every page. An uploaded picture still wins.
"""

import hashlib
from urllib.parse import quote

from django.utils.html import escape

from redaktion.core.text import initials

# Dark enough for white initials to pass WCAG AA contrast (4.5:1) on every one of them.
COLOURS = ("#1d2b4f", "#12403c", "#4f4a8c", "#8a4b2a", "#1f5f7a", "#6b3a5b", "#3e5a2b", "#59606b")


def display_name(user) -> str:
    full = f"{user.first_name} {user.last_name}".strip()
    return full or user.get_username()


def colour(user) -> str:
    digest = hashlib.blake2s(str(user.pk).encode(), digest_size=2).digest()
    return COLOURS[int.from_bytes(digest, "big") % len(COLOURS)]


def initials_svg(user) -> str:
    letters = escape(initials(display_name(user)))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
        f'<circle cx="50" cy="50" r="50" fill="{colour(user)}"/>'
        '<text x="50" y="50" dy=".35em" text-anchor="middle" fill="#fff" '
        'font-family="system-ui,sans-serif" font-size="40" font-weight="700">'
        f"{letters}</text></svg>"
    )


def avatar_url(user, size) -> str | None:
    """Wagtail's ``get_avatar_url`` hook: None (Wagtail's own logic) when the editor uploaded
    a picture, else the initials as a ``data:`` URL."""
    profile = getattr(user, "wagtail_userprofile", None)
    if profile is not None and profile.avatar:
        return None
    if not getattr(user, "pk", None):
        return None
    return "data:image/svg+xml," + quote(initials_svg(user))
