"""German text analysis for the search index: text → index tokens, query → query terms.

The same functions analyse what is indexed and what readers type, so both sides agree:

1. Unicode NFC, lowercase; ``ß`` → ``ss`` (``Straße`` and ``Strasse`` become one word).
2. Words are runs of letters and digits; a hyphen separates words (``SPD-Krise`` is ``spd``
   and ``krise``).
3. Stopwords are dropped (the list of ``redaktion.core.german``: function words, auxiliaries,
   reported speech, weekdays and months), as are one-letter words; numbers stay (``G20``,
   ``2024``).
4. Each word is reduced by the Snowball German stemmer, which also folds umlauts and their
   transliterations: ``München``, ``Muenchen`` and ``Münchens`` all become ``munch``;
   ``wirtschaftlichen`` becomes ``wirtschaft``.

Compounds are not split here. The index keeps whole stems, and a query word is widened at
search time (``Backend.expand`` in ``backends/base.py``) to the compounds of the index
vocabulary that end with it after a first part that is itself a word of the vocabulary:
``Nachrichten`` finds ``Wirtschaftsnachrichten``, but ``Richter`` does not find
``Nachrichten`` (``nach`` is not an indexed word). A compound query word also matches its
two parts (``split_points``) when the archive uses them more than the whole word, and a
genitive ``-s`` after a vowel is tolerated (``inflection_variants``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from redaktion.core.german import STOPWORDS, stemmer

_STOPWORDS = frozenset(word.replace("ß", "ss") for word in STOPWORDS)
_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
_PHRASE_RE = re.compile(r'"([^"]*)"?')
# Stems shorter than this are never widened to compounds: too many words end in them.
COMPOUND_MIN_STEM = 4
# The other part of a compound must be at least this long (``Fugen-s`` included).
COMPOUND_MIN_PART = 3
# Longer runs of letters are not words (codes, pasted data) and would not fit the
# vocabulary's column (100): they are left out of the index.
MAX_WORD_LENGTH = 80


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").lower().replace("ß", "ss")


def is_indexed_word(word: str) -> bool:
    return (
        (len(word) > 1 or word.isdigit())
        and len(word) <= MAX_WORD_LENGTH
        and word not in _STOPWORDS
    )


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The index form of one normalised word."""
    if word.isdigit():
        return word
    return stemmer().stemWord(word)


def tokens(text: str) -> list[str]:
    """Index tokens of ``text`` in order (stopwords dropped, so a phrase's neighbours in the
    index are its neighbours in the text once function words are left out)."""
    return [stem(w) for w in _WORD_RE.findall(normalise(text)) if is_indexed_word(w)]


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, token) of every indexed word of ``text``, for highlighting; the token is
    ``""`` for stopwords (never highlighted)."""
    spans = []
    source = unicodedata.normalize("NFC", text or "")
    for match in _WORD_RE.finditer(source):
        word = normalise(match.group())
        spans.append((match.start(), match.end(), stem(word) if is_indexed_word(word) else ""))
    return spans


@dataclass
class Query:
    """A reader's query: single words (each a stem, widened to compounds at search time) and
    quoted phrases (stems that must follow each other). ``text`` is what was typed."""

    text: str
    words: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases)

    def stems(self) -> set[str]:
        return set(self.words) | {s for phrase in self.phrases for s in phrase}


def parse(text: str) -> Query:
    """Words and ``"quoted phrases"`` of ``text``; an unclosed quote runs to the end. A phrase
    of one word is a word. Repeated words count once."""
    query = Query(text=text)
    seen: set[str] = set()

    def add_word(token: str) -> None:
        if token not in seen:
            seen.add(token)
            query.words.append(token)

    rest = []
    position = 0
    for match in _PHRASE_RE.finditer(text or ""):
        rest.append(text[position : match.start()])
        position = match.end()
        phrase = tokens(match.group(1))
        if len(phrase) > 1:
            query.phrases.append(phrase)
            seen.update(phrase)
        elif phrase:
            add_word(phrase[0])
    rest.append((text or "")[position:])
    for token in tokens(" ".join(rest)):
        add_word(token)
    return query


def compound_parts(part: str) -> list[str]:
    """What the other part of a compound may be as an indexed stem: the part itself and the
    part without a linking element (``wirtschafts`` → ``wirtschaft``, ``bundes`` → ``bund``,
    ``sonnen`` → ``sonn``), for a first part; a second part is used as it stands."""
    candidates = [part]
    for link in ("es", "en", "er", "s", "n", "e"):
        if part.endswith(link) and len(part) - len(link) >= COMPOUND_MIN_PART:
            candidates.append(part[: -len(link)])
    return candidates


# Query words shorter than this are not split into two parts, and the first part is at
# least SPLIT_MIN_PART long (``ver|sucht`` is a prefix, not a compound).
SPLIT_MIN_WORD = 8
SPLIT_MIN_PART = 4


def split_points(word: str) -> list[tuple[list[str], str]]:
    """Ways to read a compound stem as first part + head, longest head first: for each
    point, the first part's candidates (``compound_parts``) and the head. ``Backend.expand``
    takes the most probable of them, if any (backends/base.py)."""
    if len(word) < SPLIT_MIN_WORD or word.isdigit():
        return []
    return [
        ([p for p in compound_parts(word[:i]) if len(p) >= SPLIT_MIN_PART], word[i:])
        for i in range(SPLIT_MIN_PART, len(word) - COMPOUND_MIN_STEM + 1)
    ]


_VOWELS = "aeiouy"


def inflection_variants(word: str) -> list[str]:
    """Forms Snowball keeps apart that a reader means as one: the genitive ``-s`` of a name
    or word ending in a vowel (``Ugandas``/``Uganda``, ``Obamas``/``Obama``, ``Autos``/
    ``Auto``), which the stemmer only strips after consonants."""
    if len(word) < 3 or word.isdigit():
        return []
    if word[-1] in _VOWELS:
        return [word + "s"]
    if word.endswith("s") and word[-2] in _VOWELS and len(word) > 3:
        return [word[:-1]]
    return []


# Endings the Snowball German stemmer leaves on some forms of a word (``Italien`` →
# ``italien`` but ``Italiens`` → ``itali``; ``serbisch`` next to ``Serbien`` → ``serbi``;
# ``verhängt`` next to ``Verhängung`` → ``verhang``), tried on query words of
# ``COMPOUND_MIN_STEM`` letters or more.
FORM_ENDINGS = ("t", "et", "ert", "st", "n", "en", "sch", "isch")


def form_variants(word: str) -> list[str]:
    """Other forms of the same word that the stemmer keeps apart: the stem with an ending
    it leaves (``FORM_ENDINGS``) and the past participle with ``ge-`` (``landete`` →
    ``land``, ``gelandet``; ``sperrt`` → ``gesperrt``), which it never strips. Only those
    in the index vocabulary are used (``Backend.expand`` in backends/base.py)."""
    if len(word) < COMPOUND_MIN_STEM or word.isdigit():
        return []
    variants = [word + ending for ending in FORM_ENDINGS]
    variants += ["ge" + word, "ge" + word + "t", "ge" + word + "et"]
    variants += [
        word[: -len(ending)]
        for ending in FORM_ENDINGS
        if word.endswith(ending) and len(word) - len(ending) >= COMPOUND_MIN_STEM
    ]
    return [v for v in dict.fromkeys(variants) if v != word]
