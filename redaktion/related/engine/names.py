"""Names (people, places, companies) as German text marks them: capitalised words inside a
sentence that are not common nouns. No downloaded model; the common nouns are learned from
the corpus's own upper and lower case statistics.

German capitalises every noun, so a capital letter alone says little. A capitalised form is
taken for a *common word* (not a name) when the corpus shows one of these:

* it also appears in lower case inside a sentence (an adjective or verb: ``deutsche``);
* a determiner stands before it in at least ``DETERMINER_SHARE`` of its capitalised uses
  (``die Regierung``; names of people and places mostly stand without one);
* it ends like a German common noun (``-ung``, ``-heit``, ``-schaft`` …);
* it is the tail of a longer word of the corpus (``Regierung`` in ``Bundesregierung``), or
  its last part ends with such a common word (``Vertragsform``, ``GPA-djp-Chef``).

A *name* is then a capitalised word inside a sentence that is not a common word, and a run
of two or more capitalised words inside a sentence that holds a name or a capitalised
adjective (``Wolfgang Katzian``, ``Deutsche Bank``, ``Stoke City``) as a whole. The first
word of a sentence is never read: it is capitalised whatever it is.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from redaktion.core.german import STOPWORDS

DETERMINER_SHARE = 0.15
# A noun tail or head shorter than this is too often a plain syllable (``-er``, ``-ien``).
MIN_PART = 4
# The names kept per article, most frequent first: 24 did better than 12 and 48 on the
# tuning part of ``10kgnad-dev.csv``, and each name costs the rebuild (``set_rows``).
NAMES_PER_ARTICLE = 24

_PUNCTUATION = ".,;:!?\"'„“”«»‚‘’()[]–-…/*"
_SENTENCE_END = frozenset('.!?:;"„“”«»‚‘’()[]–-')
_STOP = frozenset(w.replace("ß", "ss") for w in STOPWORDS)
_DETERMINER_TEXT = """
    der die das den dem des ein eine einen einem einer eines kein keine keinen keinem keiner
    keines dieser diese diesen diesem dieses jeder jede jeden jedem jedes sein seine seinen
    seinem seiner ihr ihre ihren ihrem ihrer unser unsere unseren im am zum zur vom beim ins
"""
_DETERMINERS = frozenset(_DETERMINER_TEXT.split())
_NOUN_ENDINGS = (
    "ung",
    "ungen",
    "heit",
    "heiten",
    "keit",
    "keiten",
    "schaft",
    "schaften",
    "tion",
    "tionen",
    "ität",
    "itäten",
    "nis",
    "nisse",
    "ismus",
    "chen",
)


@dataclass
class CaseCounts:
    """What one text (or a whole corpus, summed) tells about case: its capitalised forms,
    how often a determiner stands before them, its lower-case forms, and the runs of
    capitalised words inside its sentences (forms joined by spaces)."""

    capitalised: Counter = field(default_factory=Counter)
    after_determiner: Counter = field(default_factory=Counter)
    lower: set = field(default_factory=set)
    runs: list = field(default_factory=list)

    def add(self, other: CaseCounts) -> None:
        """Adds ``other``'s statistics (not its runs)."""
        self.capitalised.update(other.capitalised)
        self.after_determiner.update(other.after_determiner)
        self.lower |= other.lower


def case_counts(*texts: str) -> CaseCounts:
    """The case statistics and capitalised runs of ``texts`` (headline, lead, body …: each
    starts a sentence), sentence starts left out.

    The texts are read as whitespace-separated tokens with one look at each (a rebuild
    reads every article this way next to splitting it into words, so this is kept to
    about the cost of ``german.words``); a token glued to an opening quotation mark or
    bracket is left out with the sentence starts, and punctuation after a word ends its
    run."""
    counts = CaseCounts()
    lower: list[str] = []
    determined: list[str] = []
    for text in texts:
        tokens = unicodedata.normalize("NFC", text or "").replace("ß", "ss").split()
        lower += [token for token in tokens if token[0].islower()]
        _read_runs(tokens, counts.runs, determined)
    counts.lower = {token.strip(_PUNCTUATION) for token in lower} - _STOP
    counts.capitalised.update(form for run in counts.runs for form in run.split(" "))
    counts.after_determiner.update(determined)
    return counts


def _read_runs(tokens: list[str], runs: list[str], determined: list[str]) -> None:
    run: list[str] = []
    previous = "."
    for token in tokens:
        if token[0].isupper() and previous[-1] not in _SENTENCE_END:
            word = token.rstrip(_PUNCTUATION)
            form = word.lower()
            if len(form) > 1 and form not in _STOP:
                if not run and previous.lower() in _DETERMINERS:
                    determined.append(form)
                run.append(form)
                if len(word) < len(token):
                    runs.append(" ".join(run))
                    run = []
                previous = token
                continue
        if run:
            runs.append(" ".join(run))
            run = []
        previous = token
    if run:
        runs.append(" ".join(run))


def common_words(counts: CaseCounts) -> dict[str, bool]:
    """The capitalised forms of ``counts`` that are common words, not names (module doc),
    each with whether it also appears in lower case (an adjective: ``Deutsche``)."""
    capitalised = counts.capitalised
    common = {form for form in capitalised if form in counts.lower}
    for form, total in capitalised.items():
        determined = counts.after_determiner[form] >= max(1, DETERMINER_SHARE * total)
        if determined or form.endswith(_NOUN_ENDINGS):
            common.add(form)
    for form in (*capitalised, *counts.lower):
        for part in form.split("-"):
            for start in range(1, len(part) - MIN_PART + 1):
                if part[start:] in capitalised:
                    common.add(part[start:])
    common |= {form for form in capitalised if is_compound_of(form, common)}
    return {form: form in counts.lower for form in sorted(common)}


def is_compound_of(form: str, common) -> bool:
    """Whether the last part of ``form`` ends with one of ``common`` (a longer compound)."""
    last = form.rsplit("-", 1)[-1]
    if last != form and last in common:
        return True
    return any(last[start:] in common for start in range(1, len(last) - MIN_PART + 1))


def tails(forms: Iterable[str]) -> set[str]:
    """Every form of ``forms`` with its hyphen parts and their tails of ``MIN_PART`` letters
    or more: what ``is_compound_of`` may look up, so a caller can fetch just those."""
    found = set()
    for form in forms:
        found.add(form)
        for part in form.split("-"):
            found.update(part[start:] for start in range(len(part) - MIN_PART + 1))
    return found


def names(runs: Iterable[str], common: dict[str, bool]) -> list[str]:
    """The names in ``runs`` (as ``case_counts`` finds them) given the ``common`` words
    (``common_words``), most frequent first (ties alphabetically), at most
    ``NAMES_PER_ARTICLE``."""
    found: Counter = Counter()
    for run in runs:
        forms = run.split(" ")
        single = [form for form in forms if form not in common]
        found.update(single)
        if len(forms) > 1 and (single or any(common[form] for form in forms)):
            found[run] += 1
    ranked = sorted(found.items(), key=lambda item: (-item[1], item[0]))
    return [name for name, _ in ranked[:NAMES_PER_ARTICLE]]


# Names and runs hold letters, digits, hyphens and spaces, never this.
SEPARATOR = "|"


def joined_names(found: Iterable[str]) -> str:
    """Names (or runs) as one string, as ``ArticleVector.names`` stores them."""
    return SEPARATOR.join(found)


def split_names(stored: str | None) -> list[str]:
    """The names of a ``joined_names`` string."""
    return [name for name in (stored or "").split(SEPARATOR) if name]


class CorpusNames:
    """The names of a whole corpus, read in one pass: ``add`` sums each article's case
    statistics as it arrives and keeps its runs (one string an article); ``names`` then
    learns the common words once and gives each article's names (``joined_names``),
    dropping the runs."""

    def __init__(self):
        self.total = CaseCounts()
        self._runs: list[str] = []

    def add(self, counts: CaseCounts) -> None:
        self.total.add(counts)
        self._runs.append(joined_names(counts.runs))

    def names(self) -> tuple[dict[str, bool], list[str]]:
        """(the common words, each article's ``joined_names``), in the order the articles
        were added."""
        common = common_words(self.total)
        joined = [joined_names(names(split_names(runs), common)) for runs in self._runs]
        self._runs = []
        return common, joined
