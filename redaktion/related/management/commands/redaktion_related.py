"""``redaktion related eval FILE.csv`` and ``redaktion related rebuild``."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from redaktion.core.progress import Progress
from redaktion.related.evaluation import EvaluationFileError, evaluate
from redaktion.related.services import related_rebuild


class Command(BaseCommand):
    help = _('"Mehr zum Thema": measure the engine on labelled texts, or rebuild every list.')

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True)
        evaluation = commands.add_parser(
            "eval",
            help=_("precision@k and nDCG@k of same-label neighbours, engine vs. baseline"),
        )
        evaluation.add_argument("file", help=_("label;text CSV file (quote character ')"))
        evaluation.add_argument("--k", type=int, default=5, help=_("neighbours per article"))
        rebuild = commands.add_parser(
            "rebuild", help=_("recompute every published article's vector and list")
        )
        rebuild.add_argument(
            "--no-progress", action="store_true", help=_("do not draw a progress bar")
        )

    def handle(self, *args, subcommand, **options):
        if subcommand == "eval":
            self.evaluate(options["file"], options["k"])
        else:
            self.rebuild(progress=not options["no_progress"])

    def evaluate(self, path, k):
        if k < 1:
            raise CommandError(_("--k must be at least 1"))
        try:
            scores = evaluate(path, k=k)
        except EvaluationFileError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{'method':<44} {'precision@' + str(k):>12} {'nDCG@' + str(k):>8}")
        names = {
            "engine": _("engine (redaktion.related)"),
            "baseline": _("baseline (TfidfVectorizer() defaults)"),
        }
        for score in scores:
            self.stdout.write(
                f"{names[score.name]:<44} {score.precision:>12.4f} {score.ndcg:>8.4f}"
                f"   ({score.seconds:.1f} s)"
            )

    def rebuild(self, *, progress):
        bar = Progress(self.stderr, enabled=progress)
        result = related_rebuild(progress=bar)
        bar.close()
        self.stdout.write(
            self.style.SUCCESS(
                _("Rebuilt %(articles)d articles, %(suggestions)d suggestions in %(seconds).1f s.")
                % result
            )
        )
