"""``redaktion restore FILE --yes``: replace the database and the media with a backup's."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from redaktion.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Replace this site's database and media with those of a `redaktion backup` archive. "
        "Stop the site and the worker first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Confirm that the current database and media are to be replaced.",
        )

    def handle(self, *, archive, yes, **options):
        if not yes:
            raise CommandError(
                _("Restoring replaces this site's database and media; confirm with --yes.")
            )
        try:
            manifest = backup_restore(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Restored the backup of %(created)s (%(engine)s, %(files)d media files).")
            % {
                "created": manifest["created"],
                "engine": manifest["engine"],
                "files": manifest["media_files"],
            }
        )
