"""The whole corpus at once, for ``redaktion related rebuild`` and ``redaktion related
eval``: every distinct word analysed once (``Lexicon``), the term counts of all articles as
one sparse product (documents × words) · (words × terms), weighed ``CORPUS_CHUNK`` articles
at a time, then smoothed into profiles with each article's nearest neighbours."""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from redaktion.core import german

from .chunks import drained, stack_blocks
from .profiles import NEIGHBOURHOOD, ROUNDS, expand
from .scoring import LIST_LENGTH
from .search import nearest, neighbours
from .terms import FIELD_BOOST, VECTOR_SIZE, CorpusStats, Document, is_gram, weigh_counts

# Rows of a whole corpus are counted and weighed this many at a time: the working arrays
# of a chunk (about 60 bytes per term of its articles) stay small next to the corpus.
CORPUS_CHUNK = 1000


@dataclass
class Corpus:
    """A fitted corpus: terms (column order), their document frequencies, the corpus
    statistics, the plain vectors and profiles of every article (rows, input order), and
    each article's nearest articles by profile (indices, cosines; ``-1`` = none)."""

    terms: list[str]
    df: np.ndarray
    stats: CorpusStats
    raw: sp.csr_matrix
    profiles: sp.csr_matrix
    neighbour_ids: np.ndarray
    neighbour_scores: np.ndarray

    def nearest(self, k: int = LIST_LENGTH) -> tuple[np.ndarray, np.ndarray]:
        """Each article's ``k`` most similar others by content, (indices, cosines)."""
        if k <= self.neighbour_ids.shape[1]:
            return self.neighbour_ids[:, :k], self.neighbour_scores[:, :k]
        return nearest(self.profiles, self.profiles, k)


class Lexicon:
    """Distinct words → their index terms, each word analysed once.

    A document's term counts are its word counts times the word × term matrix: the same
    counts ``analyse`` computes word by word, for a whole corpus in one sparse product."""

    def __init__(self):
        self.words: dict[str, int] = {}
        self.terms: dict[str, int] = {}
        self._rows = array("q")
        self._cols = array("q")

    def word_id(self, word: str) -> int:
        wid = self.words.get(word)
        if wid is None:
            wid = self.words[word] = len(self.words)
            stem, grams = german.features(word)
            for term in (stem, *grams):
                self._rows.append(wid)
                self._cols.append(self.terms.setdefault(term, len(self.terms)))
        return wid

    def term_matrix(self) -> sp.csr_matrix:
        """Words × terms: how often each term comes out of each word."""
        rows = np.frombuffer(self._rows, dtype=np.int64)
        cols = np.frombuffer(self._cols, dtype=np.int64)
        return sp.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)),
            shape=(len(self.words), len(self.terms)),
        )

    def term_list(self) -> list[str]:
        return sorted(self.terms, key=self.terms.__getitem__)

    def word_counts(self, documents: Iterable[Words], progress=None) -> sp.csr_matrix:
        """Documents (as ``document_words``) × words: body words once, headline, kicker
        and lead ``FIELD_BOOST`` times (as ``analyse``). The words are summed
        ``CORPUS_CHUNK`` documents at a time, so that only one chunk's repeated words wait
        to be summed."""
        parts = []
        indptr, indices, data = [0], array("q"), array("f")
        for body, head in documents:
            for words, weight in ((body, 1.0), (head, float(FIELD_BOOST))):
                for word in words:
                    indices.append(self.word_id(word))
                    data.append(weight)
            indptr.append(len(indices))
            if progress:
                progress(1)
            if len(indptr) > CORPUS_CHUNK:
                parts.append(self._summed(indptr, indices, data))
                indptr, indices, data = [0], array("q"), array("f")
        parts.append(self._summed(indptr, indices, data))
        shape = (sum(p.shape[0] for p in parts), len(self.words))
        capacity = sum(p.nnz for p in parts)
        return stack_blocks(drained(parts), shape, capacity)

    def _summed(self, indptr: list[int], indices: array, data: array) -> sp.csr_matrix:
        matrix = sp.csr_matrix(
            (
                np.frombuffer(data, dtype=np.float32),
                np.frombuffer(indices, dtype=np.int64),
                np.asarray(indptr, dtype=np.int64),
            ),
            shape=(len(indptr) - 1, len(self.words)),
        )
        matrix.sum_duplicates()
        return matrix


Words = tuple[list[str], list[str]]


def document_words(document: Document) -> Words:
    """The words of a document's body and of its headline, kicker and lead (``german.words``):
    what ``fit_words`` reads. Pure, so it can run in worker processes."""
    return german.words(document.body), german.words(document.head)


def fit(
    documents: Iterable[Document], progress=None, *, k: int = LIST_LENGTH, workers: int = 1
) -> Corpus:
    """Analyse, weigh and smooth ``documents`` (see the package doc); labels are never read.

    ``progress`` is called with 1 after each document is analysed; ``k`` is the number of
    neighbours kept per article; ``workers`` the processes of the neighbour search.
    """
    return fit_words(map(document_words, documents), progress, k=k, workers=workers)


def fit_words(
    documents: Iterable[Words], progress=None, *, k: int = LIST_LENGTH, workers: int = 1
) -> Corpus:
    """``fit`` for documents already split into words (``document_words``)."""
    terms, df, stats, raw = _weigh_corpus(documents, progress)
    profiles, neighbour_ids, neighbour_scores = smooth(raw, k=k, workers=workers)
    return Corpus(terms, df, stats, raw, profiles, neighbour_ids, neighbour_scores)


def _weigh_corpus(documents: Iterable[Words], progress=None):
    """Terms, document frequencies, statistics and plain vectors of ``documents``; what
    only this step needs (the word lists, the word × term matrix) is freed on return."""
    lexicon = Lexicon()
    words = lexicon.word_counts(documents, progress)
    word_terms = lexicon.term_matrix()
    terms = lexicon.term_list()
    del lexicon
    grams = np.fromiter((is_gram(t) for t in terms), dtype=bool, count=len(terms))
    n = words.shape[0]
    blocks = np.stack([~grams, grams], axis=1).astype(np.float32)
    lengths = np.asarray(words @ (word_terms @ blocks)).sum(axis=0)
    stats = CorpusStats(documents=n, length_totals=tuple(int(round(x)) for x in lengths))
    chunks = range(0, n, CORPUS_CHUNK)
    df = np.zeros(len(terms), dtype=np.int64)
    for start in chunks:
        counts = words[start : start + CORPUS_CHUNK] @ word_terms
        df += np.bincount(counts.tocsr().indices, minlength=len(terms))
    parts = (
        weigh_counts((words[start : start + CORPUS_CHUNK] @ word_terms).tocsr(), grams, df, stats)
        for start in chunks
    )
    raw = stack_blocks(parts, (n, len(terms)), n * VECTOR_SIZE)
    return terms, df, stats, raw


def smooth(
    raw: sp.csr_matrix, *, k: int = LIST_LENGTH, workers: int = 1
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """Profiles of every row of ``raw`` (``ROUNDS`` rounds of neighbourhood expansion) and
    each profile's ``k`` nearest profiles."""
    found, scores = neighbours(raw, NEIGHBOURHOOD, exact_scores=False, workers=workers)
    for round_ in range(ROUNDS):
        profiles = expand(raw, found[:, :NEIGHBOURHOOD], workers=workers)
        last = round_ == ROUNDS - 1
        found, scores = neighbours(
            profiles,
            max(k, NEIGHBOURHOOD) if last else NEIGHBOURHOOD,
            exact_scores=last,
            workers=workers,
        )
        if not last:
            # Served its search: freed before the next round builds its successor.
            del profiles
    return profiles, found, scores
