"""``redaktion related eval FILE.csv`` and ``redaktion related rebuild``."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from redaktion.core.evaluation import CHECK, TUNING
from redaktion.core.progress import Progress
from redaktion.related.evaluation import (
    BASELINE,
    ENGINE,
    LSA,
    STEMMED,
    WITHOUT_NAMES,
    WITHOUT_PROFILES,
    EvaluationFileError,
    evaluate,
)
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
            report = evaluate(path, k=k)
        except EvaluationFileError as error:
            raise CommandError(str(error)) from error
        write = self.stdout.write
        lsa = _("LSA (truncated SVD, %(dimension)d dimensions, of stemmed TF-IDF)") % {
            "dimension": report.lsa_dimension
        }
        names = {
            ENGINE: _("engine (redaktion.related)"),
            WITHOUT_NAMES: "  " + _("without shared names"),
            WITHOUT_PROFILES: "  " + _("without neighbourhood profiles"),
            STEMMED: _("stemmed TF-IDF (Snowball, sublinear tf)"),
            LSA: lsa,
            BASELINE: _("baseline (TfidfVectorizer() defaults)"),
        }
        write(_("Chosen on the tuning part (precision@%(k)d there):") % {"k": k})
        write(
            "  "
            + _("name share %(share)s of") % {"share": report.name_share}
            + " "
            + ", ".join(f"{share}: {p:.4f}" for share, p in report.name_grid.items())
        )
        write(
            "  "
            + _("LSA dimension %(dimension)d of") % {"dimension": report.lsa_dimension}
            + " "
            + ", ".join(f"{d}: {p:.4f}" for d, p in report.lsa_grid.items())
        )
        titles = {
            TUNING: _("tuning part: %(articles)d articles"),
            CHECK: _("check part: %(articles)d articles"),
        }
        header = (
            f"{'method':<66} {'precision@' + str(k) + ' [95 %]':>26} "
            f"{'nDCG@' + str(k) + ' [95 %]':>26}"
        )
        for part in report.parts:
            write("")
            write(titles[part.part] % {"articles": part.articles})
            write(header)
            for name, score in part.scores.items():
                write(
                    f"{names[name]:<66} {score.precision!s:>26} {score.ndcg!s:>26}"
                    f"   ({score.seconds:.1f} s)"
                )
            write(_("paired differences of precision@%(k)d [95 %%]:") % {"k": k})
            for label, first, second in (
                (_("engine - LSA"), ENGINE, LSA),
                (_("engine - stemmed TF-IDF"), ENGINE, STEMMED),
                (_("shared names (engine - without them)"), ENGINE, WITHOUT_NAMES),
                (_("neighbourhood profiles (engine - without them)"), ENGINE, WITHOUT_PROFILES),
            ):
                write(f"  {label:<64} {part.difference(first, second)!s:>26}")
            write(
                "  "
                + _(
                    "topics, Ressort, time proximity: not in this file, their contribution "
                    "cannot be measured on it"
                )
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
