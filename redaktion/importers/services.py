"""What every import shares: its options, the summary it returns and the mapping file of
categories to Ressorts. The imports themselves (``wordpress``, ``ghost``, ``webpages``)
read their sources into entries and write them through ``articles.EntryWriter``."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from .placement import ItemError

__all__ = ["ItemError", "MappingError", "Options", "Progress", "Summary", "category_map_read"]


class MappingError(Exception):
    """The mapping file cannot be used; the message names the file and the line."""


@dataclass
class Summary:
    """What an import did; ``problems`` names each item left out (file, item, reason)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)
    images_missing: int = 0
    problems: list[str] = field(default_factory=list)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


@dataclass
class Options:
    fallback_ressort: str = ""
    category_map: dict[str, str] = field(default_factory=dict)
    media: Path | None = None
    # None: in bulk when the file holds ``wordpress.BULK_FROM`` items or more.
    bulk: bool | None = None
    # Fetch pictures not found in ``media`` from their address.
    download: bool = False
    # The author (name or slug of an ``Author``, made when there is none) of posts that
    # name none.
    author: str = ""


Progress = Callable[[str, int, int], None]


def category_map_read(path: Path) -> dict[str, str]:
    """A mapping file: one ``category;ressort`` per line (WordPress category slug or name,
    Ressort slug or title); ``,`` works as separator too. Raises ``MappingError`` naming
    the line that is not a pair."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise MappingError(
            _("%(file)s: cannot be read (%(reason)s).") % {"file": path, "reason": error}
        ) from error
    delimiter = "," if text.count(",") > text.count(";") else ";"
    mapping = {}
    for number, row in enumerate(csv.reader(text.splitlines(), delimiter=delimiter), 1):
        if not row or not "".join(row).strip() or row[0].startswith("#"):
            continue
        if len(row) != 2 or not row[0].strip() or not row[1].strip():
            raise MappingError(
                _("%(file)s, line %(line)d: expected “category;Ressort”.")
                % {"file": path, "line": number}
            )
        mapping[row[0].strip().casefold()] = row[1].strip()
    return mapping
