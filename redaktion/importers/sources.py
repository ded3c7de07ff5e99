"""The ``ghost`` and ``html`` verbs of ``redaktion import``: their arguments, their run and
the summary they print. The management command only hands over to ``add_parsers`` and
``handle``."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from redaktion.core.progress import Progress

from . import webpages
from .ghost import GhostError, ghost_import
from .services import MappingError, Options, category_map_read

SOURCES = ("ghost", "html")


def add_mapping_arguments(parser) -> None:
    """``--map`` and ``--fallback-ressort``: where each source's items go."""
    parser.add_argument(
        "--map",
        type=Path,
        dest="category_map",
        help=_("a file of “category;Ressort” lines naming the Ressort of each category"),
    )
    parser.add_argument(
        "--fallback-ressort",
        default="",
        help=_("the Ressort (title or slug) for posts whose categories name none"),
    )


def _common(parser) -> None:
    add_mapping_arguments(parser)
    parser.add_argument(
        "--media", type=Path, help=_("a folder with the site's pictures, read before any download")
    )
    parser.add_argument("--no-download", action="store_true", help=_("never download a picture"))
    parser.add_argument(
        "--dry-run", action="store_true", help=_("read and check everything, write nothing")
    )
    parser.add_argument("--no-progress", action="store_true", help=_("do not draw a progress bar"))


def add_parsers(sources, parser) -> None:
    """Adds the ``ghost`` and ``html`` subcommands to the ``sources`` subparsers."""
    flag = getattr(parser, "called_from_command_line", False)
    ghost = sources.add_parser(
        "ghost", help=_("a Ghost export (Settings → Export, JSON)"), called_from_command_line=flag
    )
    ghost.add_argument("file", type=Path, help=_("the export file (.json)"))
    ghost.add_argument(
        "--site-url",
        default="",
        help=_("the Ghost site's address, for its pictures and old addresses"),
    )
    _common(ghost)
    html = sources.add_parser(
        "html", help=_("article pages: addresses or files"), called_from_command_line=flag
    )
    html.add_argument("pages", nargs="*", help=_("addresses (http, https) or HTML files"))
    html.add_argument("--sitemap", action="append", default=[], help=_("a sitemap's address"))
    html.add_argument(
        "--json",
        action="store_true",
        help=_("with --dry-run: print one JSON object per page"),
    )
    _common(html)


def options_read(options, **extra) -> Options:
    """The import ``Options`` from the command's ``--media``, ``--map`` and
    ``--fallback-ressort`` (plus ``extra``); a missing folder or a bad map is a
    ``CommandError``."""
    media = options["media"]
    if media is not None and not media.is_dir():
        raise CommandError(_("%(dir)s: no such folder.") % {"dir": media})
    try:
        mapping = category_map_read(options["category_map"]) if options["category_map"] else {}
    except MappingError as error:
        raise CommandError(str(error)) from error
    return Options(
        fallback_ressort=options["fallback_ressort"], category_map=mapping, media=media, **extra
    )


def handle(command, options) -> None:
    """Runs the ``ghost`` or ``html`` verb for ``command`` (the management command)."""
    settings = options_read(options)
    if options["source"] == "html" and options["json"]:
        if not options["dry_run"]:
            raise CommandError(_("--json prints what would be imported: use it with --dry-run."))
        _print_json(command, options)
        return
    bar = Progress(command.stderr, enabled=not options["no_progress"])
    try:
        if options["source"] == "ghost":
            summary = ghost_import(
                path=options["file"],
                options=settings,
                site_url=options["site_url"],
                dry_run=options["dry_run"],
                fetch=not options["no_download"],
                progress=bar,
            )
        else:
            summary = webpages.html_import(
                addresses=options["pages"],
                sitemaps=options["sitemap"],
                options=settings,
                dry_run=options["dry_run"],
                fetch=not options["no_download"],
                progress=bar,
            )
    except (GhostError, webpages.PageError) as error:
        raise CommandError(str(error)) from error
    finally:
        bar.close()
    print_summary(command, summary, dry_run=options["dry_run"])


def _print_json(command, options) -> None:
    try:
        addresses = webpages.addresses_read(options["pages"], options["sitemap"])
    except webpages.PageError as error:
        raise CommandError(str(error)) from error
    failed = 0
    for address in addresses:
        try:
            page = webpages.page_read(address)
        except webpages.PageError as error:
            failed += 1
            command.stderr.write(str(error))
            continue
        command.stdout.write(json.dumps(page.as_json(), ensure_ascii=False))
    if failed and failed == len(addresses):
        raise CommandError(_("No page could be read."))


def print_summary(command, summary, *, dry_run: bool = False, file=None) -> None:
    """The end of every import: the counts, the reasons items were skipped, each item
    left out or failed; a ``CommandError`` (naming ``file`` where there is one) when items
    failed."""
    if dry_run:
        command.stdout.write(_("Dry run: nothing was written."))
    command.stdout.write(
        _(
            "Created %(created)d, updated %(updated)d, unchanged %(unchanged)d, "
            "skipped %(skipped)d, failed %(failed)d; pictures missing %(images)d."
        )
        % {
            "created": summary.created,
            "updated": summary.updated,
            "unchanged": summary.unchanged,
            "skipped": sum(summary.skipped.values()),
            "failed": len(summary.failed),
            "images": summary.images_missing,
        }
    )
    for reason, count in sorted(summary.skipped.items()):
        command.stdout.write(
            _("  skipped, %(reason)s: %(count)d") % {"reason": reason, "count": count}
        )
    for problem in summary.problems:
        command.stderr.write(_("  skipped: %(item)s") % {"item": problem})
    for failure in summary.failed:
        command.stderr.write(_("  failed: %(item)s") % {"item": failure})
    if summary.failed and file is not None:
        raise CommandError(
            _("%(file)s: %(count)d items could not be imported.")
            % {"file": file, "count": len(summary.failed)}
        )
    if summary.failed:
        raise CommandError(
            _("%(count)d items could not be imported.") % {"count": len(summary.failed)}
        )
