import argparse
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from redaktion.core.progress import Progress
from redaktion.importers import sources as other_sources
from redaktion.importers.wordpress import BULK_FROM, wordpress_import
from redaktion.importers.wxr import WxrError


class Command(BaseCommand):
    help = _(
        "Bring a newsroom over: redaktion import wordpress EXPORT.xml imports the posts of a "
        "WordPress export (WXR); a second run changes only what changed in the file."
    )

    def add_arguments(self, parser):
        sources = parser.add_subparsers(dest="source", required=True)
        wordpress = sources.add_parser(
            "wordpress",
            help=_("a WordPress export (Tools → Export, WXR 1.0–1.2)"),
            called_from_command_line=getattr(parser, "called_from_command_line", False),
        )
        wordpress.add_argument("file", type=Path, help=_("the export file (.xml)"))
        other_sources.add_mapping_arguments(wordpress)
        wordpress.add_argument(
            "--media",
            type=Path,
            help=_("the site's wp-content/uploads folder, for the pictures"),
        )
        wordpress.add_argument(
            "--download",
            action="store_true",
            help=_(
                "download pictures that are not in --media from their address (with a timeout "
                "and a size limit)"
            ),
        )
        wordpress.add_argument(
            "--bulk",
            action=argparse.BooleanOptionalAction,
            default=None,
            help=_(
                "defer the search index, related lists and cache purges to one rebuild at the "
                "end (default: from %(count)d items on)"
            )
            % {"count": BULK_FROM},
        )
        wordpress.add_argument(
            "--author",
            default="",
            help=_("the author (name or slug) of posts that name none; made if there is none"),
        )
        wordpress.add_argument(
            "--dry-run", action="store_true", help=_("read and check everything, write nothing")
        )
        wordpress.add_argument(
            "--no-progress", action="store_true", help=_("do not draw a progress bar")
        )
        other_sources.add_parsers(sources, parser)

    def handle(self, *args, **options):
        if options["source"] in other_sources.SOURCES:
            other_sources.handle(self, options)
            return
        settings = other_sources.options_read(
            options, bulk=options["bulk"], download=options["download"], author=options["author"]
        )
        bar = Progress(self.stderr, enabled=not options["no_progress"])
        try:
            summary = wordpress_import(
                path=options["file"],
                options=settings,
                progress=bar,
                dry_run=options["dry_run"],
            )
        except WxrError as error:
            raise CommandError(str(error)) from error
        finally:
            bar.close()
        other_sources.print_summary(self, summary, dry_run=options["dry_run"], file=options["file"])
