"""Measuring "Mehr zum Thema" on labelled texts: ``redaktion related eval FILE.csv``.

The file has one article a line, ``label;text``, ``;``-separated, quote character ``'``,
UTF-8, no header (the format of the 10kGNAD files). The engine is built on the texts alone;
the labels are read only to score its answers. For every article the ``k`` nearest *other*
articles are taken (leave-one-out) and a neighbour counts as relevant when it has the same
label:

* precision@k = relevant neighbours / k, averaged over all articles;
* nDCG@k = DCG / ideal DCG with binary gains and ``1 / log2(rank + 1)`` discounts, the ideal
  having ``min(k, articles sharing the label - 1)`` relevant neighbours; an article whose label
  nobody else has scores 0 on both.

The baseline is scikit-learn's ``TfidfVectorizer()`` with its defaults and cosine similarity,
computed in the same run on the same texts.
"""

from __future__ import annotations

import csv
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .engine.corpus import fit
from .engine.search import nearest
from .engine.terms import Document


class EvaluationFileError(Exception):
    """The file cannot be evaluated; the message says where and why."""


@dataclass
class Score:
    name: str
    precision: float
    ndcg: float
    seconds: float


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


def precision_and_ndcg(neighbours: np.ndarray, labels: list[str], k: int) -> tuple[float, float]:
    """Mean precision@k and nDCG@k of ``neighbours`` (row i: indices of i's neighbours, best
    first, ``-1`` for none) against ``labels``."""
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
    return float(relevant.sum(axis=1).mean() / k), float(ndcg.mean())


def engine_neighbours(texts: list[str], k: int) -> np.ndarray:
    corpus = fit(Document(body=text) for text in texts)
    indices, _ = corpus.nearest(k)
    return indices


def baseline_neighbours(texts: list[str], k: int) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer().fit_transform(texts).tocsr()
    indices, _ = nearest(matrix, matrix, k)
    return indices


def evaluate(path: str | Path, *, k: int = 5) -> list[Score]:
    """Scores of the engine and of the baseline on the file at ``path``."""
    labels, texts = read_labelled_texts(path, minimum=k + 1)
    scores = []
    for name, method in (("engine", engine_neighbours), ("baseline", baseline_neighbours)):
        started = time.perf_counter()
        neighbours = method(texts, k)
        precision, ndcg = precision_and_ndcg(neighbours, labels, k)
        scores.append(Score(name, precision, ndcg, time.perf_counter() - started))
    return scores
