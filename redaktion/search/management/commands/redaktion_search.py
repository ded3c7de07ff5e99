"""``redaktion search eval FILE.jsonl`` and ``redaktion search rebuild``."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from redaktion.core.evaluation import CHECK, PARTS, TUNING
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
        evaluation.add_argument(
            "--part",
            choices=PARTS,
            help=_("report this part only (the tuning part while parameters are chosen)"),
        )
        rebuild = commands.add_parser("rebuild", help=_("index every published article afresh"))
        rebuild.add_argument(
            "--no-progress", action="store_true", help=_("do not draw a progress bar")
        )

    def handle(self, *args, subcommand, **options):
        if subcommand == "eval":
            self.evaluate(options["file"], only=options["part"])
        else:
            self.rebuild(progress=not options["no_progress"])

    def evaluate(self, path, *, only=None):
        try:
            count, reports, sublinear = evaluate(path, only=only)
        except EvaluationFileError as error:
            raise CommandError(str(error)) from error
        names = {
            "search": _("search (redaktion.search, %(vendor)s)") % {"vendor": connection.vendor},
            "tfidf": (
                _("stemmed TF-IDF, cosine (log term frequency)")
                if sublinear
                else _("stemmed TF-IDF, cosine (raw term frequency)")
            ),
            "baseline": _("baseline (icontains every word, newest first)"),
        }
        parts = {TUNING: _("tuning part"), CHECK: _("check part")}
        self.stdout.write(_("%(count)d articles, one known-item query each") % {"count": count})
        self.stdout.write(
            _("Parameters are chosen on the tuning part; the check part is the figure to quote.")
        )
        for part in reports:
            self.stdout.write("")
            self.stdout.write(
                _("%(part)s: %(count)d queries") % {"part": parts[part.part], "count": part.count}
            )
            self.stdout.write(
                f"{_('method'):<52} {f'MRR@{K}':>8} {_('95% interval'):>18} {f'recall@{K}':>10}"
            )
            for name, estimate in part.mrr.items():
                self.stdout.write(
                    f"{names[name]:<52} {estimate.mean:>8.4f} "
                    f"{f'[{estimate.low:.4f}, {estimate.high:.4f}]':>18} {part.recall[name]:>10.4f}"
                )
            for name, difference in part.differences.items():
                label = _("search − %(other)s") % {"other": names[name].split(" (")[0]}
                self.stdout.write(
                    f"{label:<52} {difference.mean:>+8.4f} "
                    f"{f'[{difference.low:+.4f}, {difference.high:+.4f}]':>18}"
                )

    def rebuild(self, *, progress):
        bar = Progress(self.stderr, enabled=progress)
        count = search_rebuild(progress=lambda done, total: bar(_("indexing"), done, total))
        bar.close()
        self.stdout.write(self.style.SUCCESS(_("Indexed %(count)d articles.") % {"count": count}))
