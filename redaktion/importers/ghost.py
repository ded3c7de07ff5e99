"""Importing a Ghost export (Ghost 5's "Export your content", a JSON file).

The export holds ``db[0].data`` with the tables ``posts`` (posts and pages, by ``type``),
``posts_meta``, ``tags``, ``posts_tags``, ``users`` and ``posts_authors``. ``ghost_read``
checks the file as a whole and raises ``GhostError`` naming it and the reason when it cannot
be used; ``ghost_entries`` turns each post into an ``articles.Entry`` or a ``Problem``
naming the item and why it is left out (missing fields, a slug used twice, a body over the
limit, unreadable content). ``ghost_import`` writes the entries through the shared
``EntryWriter``, under the source ``ghost`` and the key ``post:<Ghost id>``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bs4 import BeautifulSoup
from django.utils.translation import gettext as _

from .articles import Entry, EntryWriter, Summary, dry_outcome
from .content import Figure
from .ghost_content import ContentError, ghost_html
from .media import Images
from .services import Options, Progress

SOURCE = "ghost"
SOURCE_ZONE = ZoneInfo("Europe/Berlin")
GHOST_URL = "__GHOST_URL__"
# A post body beyond this is no article but a mistake (or an attack): it is left out.
MAX_CONTENT = 2_000_000
REQUIRED = ("id", "title", "slug", "status")
STATUSES = {"published": "publish", "scheduled": "future", "draft": "draft"}


class GhostError(Exception):
    """The file cannot be imported at all; the message names the file and the reason."""


@dataclass
class Problem:
    """An item left out: ``label`` names it as the summary shows it, ``kind`` is the
    reason the summary counts it under, ``reason`` says it in full."""

    label: str
    kind: str
    reason: str


def ghost_read(path: Path) -> dict:
    """The ``data`` of the export at ``path``. Raises ``GhostError`` for a missing file,
    wrong encoding, malformed or truncated JSON, or JSON that is not a Ghost export."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise GhostError(_("%(file)s: cannot be read (%(reason)s).") % _why(path, error)) from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise GhostError(
            _("%(file)s: not UTF-8 text (byte %(position)d).")
            % {"file": path, "position": error.start}
        ) from error
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        # A string that never closes ran into the end of the file as well.
        if error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string"):
            raise GhostError(
                _("%(file)s: the JSON ends too early; the file is truncated.") % {"file": path}
            ) from error
        raise GhostError(
            _("%(file)s: not valid JSON (line %(line)d, column %(column)d: %(reason)s).")
            % {"file": path, "line": error.lineno, "column": error.colno, "reason": error.msg}
        ) from error
    try:
        data = document["db"][0]["data"]
        posts = data["posts"]
    except (KeyError, IndexError, TypeError):
        raise GhostError(
            _("%(file)s: not a Ghost export (no db[0].data.posts).") % {"file": path}
        ) from None
    if not isinstance(data, dict) or not isinstance(posts, list):
        raise GhostError(_("%(file)s: not a Ghost export (no db[0].data.posts).") % {"file": path})
    return data


def _why(path, error) -> dict:
    return {"file": path, "reason": getattr(error, "strerror", None) or error}


def _rows(data: dict, table: str) -> list[dict]:
    rows = data.get(table) or []
    return [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []


def _date(value) -> datetime | None:
    """Ghost's dates are ISO 8601 in UTC (``…Z``); one without a zone is read in
    Europe/Berlin."""
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace(" ", "T"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=SOURCE_ZONE)


def _site(value: str, site_url: str) -> str:
    return (value or "").replace(GHOST_URL, site_url.rstrip("/"))


class _Tables:
    """The export's tables joined: each post's tags and authors in their order."""

    def __init__(self, data: dict):
        self.tags = {row.get("id"): row for row in _rows(data, "tags")}
        self.users = {row.get("id"): row for row in _rows(data, "users")}
        self.meta = {row.get("post_id"): row for row in _rows(data, "posts_meta")}
        self.post_tags: dict[str, list[dict]] = {}
        for row in sorted(_rows(data, "posts_tags"), key=lambda row: row.get("sort_order") or 0):
            tag = self.tags.get(row.get("tag_id"))
            if (
                tag
                and tag.get("visibility") != "internal"
                and not tag.get("name", "#").startswith("#")
            ):
                self.post_tags.setdefault(row.get("post_id"), []).append(tag)
        self.post_authors: dict[str, list[dict]] = {}
        for row in sorted(_rows(data, "posts_authors"), key=lambda row: row.get("sort_order") or 0):
            user = self.users.get(row.get("author_id"))
            if user:
                self.post_authors.setdefault(row.get("post_id"), []).append(user)


def ghost_entries(data: dict, *, site_url: str = "") -> Iterator[Entry | Problem]:
    """Each post and page of the export's ``data``, in file order, as an ``Entry`` or a
    ``Problem``. Ghost 5 keeps pages among the posts (``type: page``); an older export's
    ``pages`` table is read too."""
    tables = _Tables(data)
    slugs: dict[tuple[str, str], str] = {}
    seen: set[str] = set()
    for post in [*_rows(data, "posts"), *({**p, "type": "page"} for p in _rows(data, "pages"))]:
        label = f"„{post.get('title') or '—'}“ (ID {post.get('id') or '?'})"
        missing = [
            name
            for name in REQUIRED
            if not isinstance(post.get(name), str) or not post.get(name).strip()
        ]
        if missing:
            yield Problem(
                label,
                _("required field missing"),
                _("required field missing: %(fields)s") % {"fields": ", ".join(missing)},
            )
            continue
        kind = "page" if post.get("type") == "page" else "article"
        if post["id"] in seen:
            yield Problem(label, _("duplicate id"), _("the id is used twice in the file"))
            continue
        seen.add(post["id"])
        if (kind, post["slug"]) in slugs:
            yield Problem(
                label,
                _("duplicate slug"),
                _("the slug “%(slug)s” is used by %(other)s already")
                % {"slug": post["slug"], "other": slugs[kind, post["slug"]]},
            )
            continue
        slugs[kind, post["slug"]] = label
        if post["status"] not in STATUSES:
            status = _("status “%(status)s”") % {"status": post["status"]}
            yield Problem(label, status, status)
            continue
        if post["status"] == "scheduled" and _date(post.get("published_at")) is None:
            yield Problem(
                label,
                _("required field missing"),
                _("required field missing: %(fields)s") % {"fields": "published_at"},
            )
            continue
        size = max(len(str(post.get(name) or "")) for name in ("lexical", "mobiledoc", "html"))
        if size > MAX_CONTENT:
            yield Problem(
                label,
                _("body too large"),
                _("the body is %(size)d characters long, more than %(limit)d")
                % {"size": size, "limit": MAX_CONTENT},
            )
            continue
        try:
            html = ghost_html(post)
        except (ContentError, IndexError, KeyError, TypeError, ValueError, AttributeError) as error:
            yield Problem(
                label,
                _("unreadable content"),
                _("the content cannot be read (%(reason)s)") % {"reason": error},
            )
            continue
        yield _entry(post, label, kind, html, tables, site_url)


def _entry(post: dict, label: str, kind: str, html: str, tables: _Tables, site_url: str) -> Entry:
    meta = tables.meta.get(post["id"], {})
    tags = [
        (tag.get("slug") or "", tag.get("name") or "")
        for tag in tables.post_tags.get(post["id"], [])
    ]
    authors = [
        (user.get("slug") or user.get("id"), user.get("name") or user.get("slug") or "")
        for user in tables.post_authors.get(post["id"], [])
    ]
    image = None
    if post.get("feature_image"):
        image = Figure(
            src=_site(post["feature_image"], site_url),
            alt=meta.get("feature_image_alt") or post.get("feature_image_alt") or "",
            caption=_plain_caption(
                meta.get("feature_image_caption") or post.get("feature_image_caption") or ""
            ),
        )
    status = STATUSES[post["status"]]
    return Entry(
        key=f"post:{post['id']}",
        label=label,
        kind=kind,
        title=post["title"].strip(),
        body_html=_site(html, site_url),
        status=status,
        slug=post["slug"],
        lead=post.get("custom_excerpt") or "",
        date=_date(post.get("published_at")) or _date(post.get("created_at")),
        categories=tags[:1],
        tags=tags[1:],
        authors=authors,
        image=image,
        old_url=f"{site_url.rstrip('/')}/{post['slug']}/",
    )


def _plain_caption(html: str) -> str:
    # Ghost's captions are HTML (a link to the photographer, say): the caption is text here.
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def ghost_import(
    *,
    path: Path,
    options: Options,
    site_url: str = "",
    dry_run: bool = False,
    fetch: bool = True,
    progress: Progress | None = None,
) -> Summary:
    """Import the posts and pages of the Ghost export at ``path``. Raises ``GhostError``
    when the file is unusable, before anything is written. With ``dry_run`` nothing is
    written: the summary says what a run would create, update or leave unchanged."""
    data = ghost_read(path)
    summary = Summary()
    report = progress or (lambda stage, done, total: None)
    images = Images(source=SOURCE, media=options.media, base=site_url, fetch=fetch)
    writer = EntryWriter(source=SOURCE, options=options, summary=summary, images=images)
    items = list(ghost_entries(data, site_url=site_url))
    for done, item in enumerate(items, 1):
        if isinstance(item, Problem):
            summary.skip(item.kind)
            summary.problems.append(f"{path}: {item.label}: {item.reason}")
        elif dry_run:
            outcome = dry_outcome(SOURCE, item)
            setattr(summary, outcome, getattr(summary, outcome) + 1)
        else:
            writer.write(item)
        report(_("Import"), done, len(items))
    summary.problems.extend(f"{path}: {error}" for error in images.errors)
    return summary
