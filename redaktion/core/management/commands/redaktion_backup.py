"""``redaktion backup [--output PATH]``: the database and the media in one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from redaktion.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write the database and the uploaded media to one .tar.gz (default: "
        "var/backups/redaktion-<time>.tar.gz); `redaktion restore FILE` reads it back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="A file, or a folder for the archive.")

    def handle(self, *, output, **options):
        try:
            result = backup_create(output=output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Backup written: %(path)s (%(engine)s, %(files)d media files, %(size)s)")
            % {
                "path": result.path,
                "engine": result.engine,
                "files": result.media_files,
                "size": filesizeformat(result.size),
            }
        )
