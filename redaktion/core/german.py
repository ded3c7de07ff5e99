"""German text analysis shared by search and "Mehr zum Thema": words → index terms.

The analysis is deliberately plain and deterministic so that the same text gives the same
terms on the web server, in the worker and in the evaluation commands:

1. Unicode NFC, lowercase; ``ß`` → ``ss``.
2. Words are runs of letters and digits; hyphenated compounds (``GPA-djp-Chef``,
   ``Online-Werkzeug``) are split at the hyphen so each part counts on its own.
3. Stopwords are dropped (function words, auxiliaries, weekday and month names, which say when
   but never what), as are pure numbers and one-letter words.
4. Each remaining word is reduced by the Snowball German stemmer, which also folds the umlauts
   (``Häuser``/``Hauser`` → ``haus``, ``wirtschaftlichen`` → ``wirtschaft``).
5. Words of four letters or more also yield their character 4-grams (``#gew``, ``gewe``,
   …, ``aft#``) with the umlauts folded, so compounds such as ``Gewerkschaftsbund`` and
   ``Gewerkschaft`` share features without a dictionary of German compounds. The n-grams
   are prefixed with ``~`` and weighted as a separate block by the related engine.

Search (``redaktion.search.analysis``) uses the stopwords and the stemmer and adds its own
rules for compounds and word forms; related (``redaktion.related.engine``) uses ``analyse``.
"""

import re
import unicodedata
from collections import Counter
from functools import lru_cache

import Stemmer

# The function words of Snowball's German stopword list, extended by the forms of the
# auxiliary and modal verbs and by the words of reported speech and time that every news
# article uses whatever its topic.
_STOPWORD_TEXT = """
    aber alle allem allen aller alles als also am an ander andere anderem anderen anderer
    anderes anderm andern anderr anders auch auf aus bei beim bin bis bist da damit dann das
    dass dasselbe dazu dein deine deinem deinen deiner deines dem demselben den denn denselben
    der derer derselbe derselben des desselben dessen dich die dies diese dieselbe dieselben
    diesem diesen dieser dieses dir doch dort du durch ein eine einem einen einer eines einig
    einige einigem einigen einiger einiges einmal er es etwas euch euer eure eurem euren eurer
    eures für gegen gewesen hab habe haben hat hatte hatten hier hin hinter ich ihm ihn ihnen
    ihr ihre ihrem ihren ihrer ihres im in indem ins ist jede jedem jeden jeder jedes jene
    jenem jenen jener jenes jetzt kann kein keine keinem keinen keiner keines können könnte
    machen man manche manchem manchen mancher manches mein meine meinem meinen meiner meines
    mich mir mit muss musste nach nicht nichts noch nun nur ob oder ohne sehr sein seine
    seinem seinen seiner seines selbst sich sie sind so solche solchem solchen solcher solches
    soll sollte sondern sonst über um und uns unsere unserem unseren unser unseres unter viel
    vom von vor während war waren warst was weg weil weiter welche welchem welchen welcher
    welches wenn werde werden wie wieder will wir wird wirst wo wollen wollte würde würden zu
    zum zur zwar zwischen
    ab abermals allerdings allein also anstatt außer außerdem bald beide beiden beider beides
    bereits besonders bisher bislang bzw ca dabei dadurch dafür dagegen daher dahin damals
    danach daneben darauf daraus darin darum darüber darunter davon davor dazwischen deren
    deshalb desto dennoch derzeit dir drei ebenfalls ebenso eher eigentlich einen eins
    einzelne endlich entweder erst erste ersten erster etwa etwas fast ferner fest gab ganz
    gar geben gegenüber geht gemacht genau gerade gern gibt ging gleich gleichzeitig hatte
    hätte hätten heute hierbei hierzu immer immerhin inzwischen irgendwie je jedoch jemand
    jedenfalls jeweils kam kaum keineswegs kommt konnte konnten kurz lassen laut lediglich
    letzte letzten mal mehr mehrere meist meisten mindestens möchte möglich müssen musste
    mussten nachdem natürlich neben nein nie niemand nämlich oben oft ohnehin rund sagen
    sagt sagte sagten schon sei seien seit seitdem selbst sicher sogar solange sollen
    sollten somit sowie sowohl später statt stets teil trotz tun uhr überhaupt übrigens
    unten usw vielleicht viele vielen vier völlig vorher wann wäre wären wegen weitere
    weiteren weiterhin wenig weniger wenige wer wessen wieso wohl worden wurde wurden zehn
    zudem zuerst zufolge zugleich zuletzt zunächst zusammen zwei zwölf fünf sechs sieben
    acht neun elf hundert tausend prozent neue neuen neuer neues gut gute guten großen große
    großer groß lang lange ja dürfen darf dürfte kommen kommt bekommen wollen will wurden
    gibt geben steht stehen sowie jahr jahre jahren jahres woche wochen tag tage tagen monat
    monaten montag dienstag mittwoch donnerstag freitag samstag sonntag sonnabend wochenende
    januar februar märz april mai juni juli august september oktober november dezember
    vergangenen vergangene vorjahr derzeit heuer gestern morgen bisher zuvor
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

# 4-grams of every word of four letters or more: the size that did best in the split-half
# check on German Wikinews (see engine.py), and the usual choice for German compounds.
NGRAM_SIZE = 4
NGRAM_MIN_WORD = 4

_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})


@lru_cache(maxsize=1)
def stemmer():
    """The Snowball German stemmer (PyStemmer), made once per process."""
    return Stemmer.Stemmer("german")


_STOPWORDS_SS = frozenset(w.replace("ß", "ss") for w in STOPWORDS)


def words(text: str) -> list[str]:
    """Lowercased words of ``text`` without stopwords, numbers and one-letter words."""
    text = unicodedata.normalize("NFC", text or "").lower().replace("ß", "ss")
    return [
        w
        for w in _WORD_RE.findall(text)
        if len(w) > 1 and not w.isdigit() and w not in _STOPWORDS_SS
    ]


def stems(text: str) -> list[str]:
    """Snowball German stems of the content words of ``text``, in order."""
    return stemmer().stemWords(words(text))


def char_ngrams(word: str, n: int = NGRAM_SIZE) -> list[str]:
    """Character n-grams of ``word`` with its umlauts folded, padded with ``#`` at both
    ends and prefixed with ``~`` so that they never clash with a stem."""
    padded = f"#{word.translate(_FOLD)}#"
    return ["~" + padded[i : i + n] for i in range(len(padded) - n + 1)]


@lru_cache(maxsize=500_000)
def features(word: str) -> tuple[str, tuple[str, ...]]:
    """The index terms of one word (as returned by ``words``): its stem and its n-grams."""
    grams = tuple(char_ngrams(word)) if len(word) >= NGRAM_MIN_WORD else ()
    return stemmer().stemWord(word), grams


def analyse(text: str) -> tuple[Counter, Counter]:
    """Term counts of ``text``: (stems, character n-grams)."""
    stem_counts: Counter = Counter()
    gram_counts: Counter = Counter()
    for word, count in Counter(words(text)).items():
        stem, grams = features(word)
        stem_counts[stem] += count
        for gram in grams:
            gram_counts[gram] += count
    return stem_counts, gram_counts
