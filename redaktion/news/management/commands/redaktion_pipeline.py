"""``redaktion pipeline status|retry|drain|reconcile``: the publish pipeline from a shell."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from redaktion.core.models import OutboxEntry
from redaktion.core.outbox import outbox_drain, outbox_retry, outbox_status
from redaktion.news.reconcile import reconcile


class Command(BaseCommand):
    help = _("The publish pipeline: its state, retrying failed steps, draining, reconciling.")

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True)
        commands.add_parser("status", help=_("backlog, oldest waiting entry, failures, last error"))
        retry = commands.add_parser("retry", help=_("retry failed entries"))
        retry.add_argument("ids", nargs="*", type=int, help=_("entry ids (default: every failed)"))
        commands.add_parser("drain", help=_("run the due entries now"))
        commands.add_parser("reconcile", help=_("record missed events, repair derived data"))

    def handle(self, *args, subcommand, **options):
        if subcommand == "status":
            self.status()
        elif subcommand == "retry":
            ids = options["ids"] or list(
                OutboxEntry.objects.filter(state=OutboxEntry.State.FAILED).values_list(
                    "pk", flat=True
                )
            )
            if not ids:
                raise CommandError(_("No entry has failed."))
            count = outbox_retry(ids)
            self.stdout.write(_("%(count)d entries will be retried.") % {"count": count})
        elif subcommand == "drain":
            self.stdout.write(str(outbox_drain()))
        else:
            self.stdout.write(str(reconcile()))

    def status(self):
        status = outbox_status()
        oldest = status.oldest_pending_at.isoformat() if status.oldest_pending_at else "-"
        self.stdout.write(_("Backlog: %(count)d") % {"count": status.backlog})
        self.stdout.write(_("Oldest waiting entry: %(when)s") % {"when": oldest})
        self.stdout.write(_("Failed: %(count)d") % {"count": status.failed})
        if status.last_error:
            last_line = status.last_error.strip().splitlines()[-1]
            self.stdout.write(_("Last error: %(error)s") % {"error": last_line})
