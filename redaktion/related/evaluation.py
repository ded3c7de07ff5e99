"""Measuring "Mehr zum Thema" on labelled texts: ``redaktion related eval FILE.csv``.

The file has one article a line, ``label;text``, ``;``-separated, quote character ``'``,
UTF-8, no header (the format of the 10kGNAD files). The articles are split into a tuning
and a check part by a hash of their text (the file has no ids; ``core.evaluation``), and
each part is its own corpus: its articles are ranked against each other only, so no label
of the other part is ever read. The engine is built on the texts alone; the labels are read
only to score its answers. For every article the ``k`` nearest *other* articles of its part
are taken and a neighbour counts as relevant when it has the same label:

* precision@k = relevant neighbours / k;
* nDCG@k = DCG / ideal DCG with binary gains and ``1 / log2(rank + 1)`` discounts, the ideal
  having ``min(k, articles sharing the label - 1)`` relevant neighbours; an article whose label
  nobody else has scores 0 on both;

each a mean over the part's articles with its bootstrap interval. Computed in the same run
on the same parts: the baselines scikit-learn ``TfidfVectorizer()`` with its defaults,
**stemmed** TF-IDF (the product's own analysis, ``core.german.stems``, sublinear term
frequency) and LSA (truncated SVD of that TF-IDF, its dimension chosen on the tuning part);
the engine without shared names and without neighbourhood profiles (what each adds); and
paired differences with their intervals. Every choice (the LSA dimension, the engine's name
share) is made on the tuning part and then applied to the check part. Topics, Ressort and
publication dates are not in such a file: what they add cannot be measured on it.
"""

from __future__ import annotations

import csv
import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from redaktion.core import evaluation, german

from .engine.corpus import fit
from .engine.names import CorpusNames, case_counts, split_names
from .engine.scoring import NAME_TOLERANCE, POOL, pair_overlaps, set_rows, similarity
from .engine.search import nearest
from .engine.terms import Document

LSA_DIMENSIONS = (10, 15, 20, 25, 30, 40, 50, 75, 100)
NAME_SHARES = (0.0, 0.025, 0.05, 0.1, 0.15, 0.2)

ENGINE = "engine"
WITHOUT_NAMES = "engine without shared names"
WITHOUT_PROFILES = "engine without neighbourhood profiles"
STEMMED = "stemmed TF-IDF"
LSA = "LSA"
BASELINE = "baseline"


class EvaluationFileError(Exception):
    """The file cannot be evaluated; the message says where and why."""


@dataclass
class Score:
    """One method on one part: per-article precision@k and nDCG@k, and the seconds taken."""

    name: str
    precisions: np.ndarray
    ndcgs: np.ndarray
    seconds: float

    @property
    def precision(self) -> evaluation.Estimate:
        return evaluation.bootstrap(self.precisions)

    @property
    def ndcg(self) -> evaluation.Estimate:
        return evaluation.bootstrap(self.ndcgs)


@dataclass
class PartResult:
    """The scores of every method on one part, by name, in the order they were run."""

    part: str
    articles: int
    scores: dict[str, Score] = field(default_factory=dict)

    def difference(self, first: str, second: str) -> evaluation.Estimate:
        """Paired difference of precision@k, ``first`` − ``second``, over this part."""
        return evaluation.paired_difference(
            self.scores[first].precisions, self.scores[second].precisions
        )


@dataclass
class Report:
    """Both parts (tuning first) and the choices made on the tuning part, with the tuning
    precision@k of every candidate value."""

    k: int
    parts: list[PartResult]
    lsa_dimension: int
    name_share: float
    lsa_grid: dict[int, float]
    name_grid: dict[float, float]


def read_labelled_texts(path: str | Path, *, minimum: int = 2) -> tuple[list[str], list[str]]:
    """(labels, texts) of a ``label;text`` file; raises EvaluationFileError on any problem."""
    path = Path(path)
    if not path.is_file():
        raise EvaluationFileError(f"{path}: no such file")
    labels, texts = [], []
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, delimiter=";", quotechar="'", strict=True)
            for fields in reader:
                line = reader.line_num
                if not fields or fields == [""]:
                    continue
                if len(fields) != 2:
                    raise EvaluationFileError(
                        f"{path}, line {line}: expected 2 fields (label;text), found "
                        f"{len(fields)}; quote a text that contains ';' with '"
                    )
                label, text = fields[0].strip(), fields[1].strip()
                if not label:
                    raise EvaluationFileError(f"{path}, line {line}: the label is empty")
                if not text:
                    raise EvaluationFileError(f"{path}, line {line}: the text is empty")
                labels.append(label)
                texts.append(text)
    except UnicodeDecodeError as exc:
        raise EvaluationFileError(
            f"{path}: not UTF-8 (byte {exc.start} of the file cannot be decoded)"
        ) from exc
    except csv.Error as exc:
        raise EvaluationFileError(f"{path}, line {reader.line_num}: {exc}") from exc
    if len(texts) < minimum:
        raise EvaluationFileError(
            f"{path}: {len(texts)} article(s); at least {minimum} are needed to rank neighbours"
        )
    return labels, texts


def per_article_scores(
    neighbours: np.ndarray, labels: list[str], k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Precision@k and nDCG@k of every article: row i of ``neighbours`` holds the indices of
    i's neighbours, best first, ``-1`` for none."""
    codes = {label: i for i, label in enumerate(sorted(set(labels)))}
    y = np.array([codes[label] for label in labels])
    top = neighbours[:, :k]
    relevant = (top >= 0) & (y[np.where(top >= 0, top, 0)] == y[:, None])
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    dcg = (relevant * discounts[: top.shape[1]]).sum(axis=1)
    others = np.bincount(y)[y] - 1
    ideal = np.cumsum(discounts)[np.minimum(others, k) - 1]
    ideal = np.where(others > 0, ideal, 0.0)
    ndcg = np.divide(dcg, ideal, out=np.zeros_like(dcg), where=ideal > 0)
    return relevant.sum(axis=1) / k, ndcg


def precision_and_ndcg(neighbours: np.ndarray, labels: list[str], k: int) -> tuple[float, float]:
    """Mean precision@k and nDCG@k of ``neighbours`` against ``labels``."""
    precisions, ndcgs = per_article_scores(neighbours, labels, k)
    return float(precisions.mean()), float(ndcgs.mean())


@dataclass
class EngineRun:
    """The engine fitted on one part: each article's ``POOL`` nearest by profile and by
    plain vector (indices, cosines) and the rows of its names (``scoring.set_rows``)."""

    pool: tuple[np.ndarray, np.ndarray]
    plain_pool: tuple[np.ndarray, np.ndarray]
    name_rows: sp.csr_matrix
    seconds: float

    def neighbours(self, k: int, *, name_share: float, profiles: bool = True) -> np.ndarray:
        """Each article's ``k`` best by ``similarity`` (content and shared names) among its
        pool, as the rebuild ranks them."""
        pool, content = self.pool if profiles else self.plain_pool
        return rerank(pool, content, self.name_rows, name_share)[:, :k]


def run_engine(texts: list[str]) -> EngineRun:
    started = time.perf_counter()
    corpus = fit((Document(body=text) for text in texts), k=POOL)
    pool = corpus.nearest(POOL)
    plain_pool = nearest(corpus.raw, corpus.raw, POOL)
    names = CorpusNames()
    for text in texts:
        names.add(case_counts(text))
    _, joined = names.names()
    rows = set_rows(map(split_names, joined))
    return EngineRun(pool, plain_pool, rows, time.perf_counter() - started)


def rerank(
    pool: np.ndarray, content: np.ndarray, name_rows: sp.csr_matrix, name_share: float
) -> np.ndarray:
    """The pool of each row ordered by ``similarity`` of content and shared names."""
    n, m = pool.shape
    valid = (pool >= 0).ravel()
    first = np.repeat(np.arange(n), m)[valid]
    overlaps = np.zeros(n * m)
    overlaps[valid] = pair_overlaps(name_rows, first, pool.ravel()[valid])
    scores = similarity(
        content.astype(np.float64), 0.0, False, overlaps.reshape(n, m), name_share=name_share
    )
    scores = np.where(pool >= 0, scores, -np.inf)
    order = np.argsort(-scores, axis=1, kind="stable")
    return np.take_along_axis(pool, order, axis=1)


def stemmed_tfidf(texts: list[str]) -> sp.csr_matrix:
    """TF-IDF of the Snowball stems (``german.stems``), sublinear term frequency, rows of
    unit length."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=german.stems, sublinear_tf=True)
    return vectorizer.fit_transform(texts).tocsr()


def lsa_neighbours(tfidf: sp.csr_matrix, dimension: int, k: int) -> np.ndarray:
    """Nearest neighbours by cosine in the ``dimension`` largest singular directions."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    reduced = TruncatedSVD(n_components=dimension, random_state=0).fit_transform(tfidf)
    rows = sp.csr_matrix(normalize(reduced).astype(np.float32))
    return nearest(rows, rows, k)[0]


def lsa_dimensions(tfidf: sp.csr_matrix) -> list[int]:
    """The dimensions of ``LSA_DIMENSIONS`` that the matrix allows (at least one)."""
    limit = min(tfidf.shape) - 1
    return [d for d in LSA_DIMENSIONS if d < limit] or [max(1, limit)]


def baseline_neighbours(texts: list[str], k: int) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer().fit_transform(texts).tocsr()
    return nearest(matrix, matrix, k)[0]


def text_id(text: str) -> str:
    """The id a text is split by (the file has none): a hash of the text."""
    return hashlib.sha256(text.encode()).hexdigest()


def _timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def _choose(grid: dict, *, tolerance: float = 0.0, prefer_largest: bool = False):
    """The best value of ``grid`` (value → tuning precision); with a tolerance, the largest
    value within ``tolerance`` of the best."""
    best = max(grid.values())
    fitting = [value for value, score in grid.items() if score >= best - tolerance]
    return max(fitting) if prefer_largest else min(fitting, key=lambda v: -grid[v])


def evaluate(path: str | Path, *, k: int = 5) -> Report:
    """Every method on the tuning and the check part of the file at ``path`` (module doc)."""
    labels, texts = read_labelled_texts(path, minimum=k + 1)
    parts = evaluation.split(range(len(texts)), key=lambda i: text_id(texts[i]))
    for part, members in parts.items():
        if len(members) < k + 1:
            raise EvaluationFileError(
                f"{path}: the {part} part has {len(members)} article(s); at least {k + 1} "
                "are needed to rank neighbours"
            )
    results, runs, tfidfs = [], {}, {}
    for part in evaluation.PARTS:
        part_texts = [texts[i] for i in parts[part]]
        runs[part] = run_engine(part_texts)
        tfidfs[part] = _timed(stemmed_tfidf, part_texts)
    tuning_labels = [labels[i] for i in parts[evaluation.TUNING]]

    def tuning_precision(neighbours):
        return precision_and_ndcg(neighbours, tuning_labels, k)[0]

    tuning_run, (tuning_tfidf, _) = runs[evaluation.TUNING], tfidfs[evaluation.TUNING]
    name_grid = {
        share: tuning_precision(tuning_run.neighbours(k, name_share=share)) for share in NAME_SHARES
    }
    name_share = _choose(name_grid, tolerance=NAME_TOLERANCE, prefer_largest=True)
    lsa_grid = {
        d: tuning_precision(lsa_neighbours(tuning_tfidf, d, k))
        for d in lsa_dimensions(tuning_tfidf)
    }
    dimension = _choose(lsa_grid)
    for part in evaluation.PARTS:
        part_texts = [texts[i] for i in parts[part]]
        part_labels = [labels[i] for i in parts[part]]
        methods = _methods(part_texts, runs[part], tfidfs[part], name_share, dimension, k)
        result = PartResult(part, len(part_texts))
        for name, (method, shared_seconds) in methods.items():
            neighbours, seconds = _timed(method)
            precisions, ndcgs = per_article_scores(neighbours, part_labels, k)
            result.scores[name] = Score(name, precisions, ndcgs, seconds + shared_seconds)
        results.append(result)
    return Report(k, results, dimension, name_share, lsa_grid, name_grid)


def _methods(texts, run: EngineRun, tfidf, name_share: float, dimension: int, k: int) -> dict:
    """name → (neighbours of the part's articles, seconds of the work it shares)."""
    matrix, tfidf_seconds = tfidf
    return {
        ENGINE: (lambda: run.neighbours(k, name_share=name_share), run.seconds),
        WITHOUT_NAMES: (lambda: run.neighbours(k, name_share=0.0), run.seconds),
        WITHOUT_PROFILES: (
            lambda: run.neighbours(k, name_share=name_share, profiles=False),
            run.seconds,
        ),
        STEMMED: (lambda: nearest(matrix, matrix, k)[0], tfidf_seconds),
        LSA: (lambda: lsa_neighbours(matrix, dimension, k), tfidf_seconds),
        BASELINE: (lambda: baseline_neighbours(texts, k), 0.0),
    }
