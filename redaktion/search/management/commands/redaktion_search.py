"""``redaktion search eval FILE.jsonl`` and ``redaktion search rebuild``."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from redaktion.core.progress import Progress
from redaktion.search.evaluation import EvaluationFileError, K, evaluate
from redaktion.search.services import search_rebuild


class Command(BaseCommand):
    help = _("Search: measure it on real articles, or rebuild the index.")

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True)
        evaluation = commands.add_parser(
            "eval",
            help=_("MRR@10 and recall@10 of known-item searches, search vs. baseline"),
        )
        evaluation.add_argument("file", help=_("JSON lines: id, title, date, body"))
        rebuild = commands.add_parser("rebuild", help=_("index every published article afresh"))
        rebuild.add_argument(
            "--no-progress", action="store_true", help=_("do not draw a progress bar")
        )

    def handle(self, *args, subcommand, **options):
        if subcommand == "eval":
            self.evaluate(options["file"])
        else:
            self.rebuild(progress=not options["no_progress"])

    def evaluate(self, path):
        try:
            count, scores = evaluate(path)
        except EvaluationFileError as error:
            raise CommandError(str(error)) from error
        names = {
            "search": _("search (redaktion.search, %(vendor)s)") % {"vendor": connection.vendor},
            "baseline": _("baseline (icontains every word, newest first)"),
        }
        self.stdout.write(_("%(count)d articles, one known-item query each") % {"count": count})
        self.stdout.write(f"{'method':<48} {f'MRR@{K}':>8} {f'recall@{K}':>10}")
        for score in scores:
            self.stdout.write(
                f"{names[score.name]:<48} {score.mrr:>8.4f} {score.recall:>10.4f}"
                f"   ({score.seconds:.1f} s)"
            )

    def rebuild(self, *, progress):
        bar = Progress(self.stderr, enabled=progress)
        count = search_rebuild(progress=lambda done, total: bar(_("indexing"), done, total))
        bar.close()
        self.stdout.write(self.style.SUCCESS(_("Indexed %(count)d articles.") % {"count": count}))
