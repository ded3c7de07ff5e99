"""Measuring the search on real articles: ``redaktion search eval FILE.jsonl``.

The file has one JSON object a line with ``id``, ``title``, ``date`` (YYYY-MM-DD) and
``body`` (the format of ``wikinews-de.jsonl``). Only the bodies are indexed: headlines are
kept out, so matching has to work on running text. For every article the query is the first
two words of its headline that are not stopwords (a known-item search: the reader remembers
the headline and looks for the article), and the article itself is the one right answer.

* MRR@10: mean of 1 / rank of the article among the first ten results (0 if not there);
* recall@10: share of articles found among the first ten.

The search runs the product's own SQL (the ``backends`` package) on temporary tables of the
configured database (SQLite FTS5 or PostgreSQL), with the product's rules: every word must
match, and when less than a page of results (20) has every word, articles with some of the
words follow them, the default recency boost of the site settings with the newest article of
the file as "today". In the same run: the stemmed TF-IDF baseline (``tfidf``) and the
``icontains`` baseline (``baseline``).

The queries are split into a tuning and a check part by a hash of the article id
(``redaktion.core.evaluation``); every parameter of the ranking (``RankWeights``) and of the
TF-IDF baseline is chosen on the tuning part, and the check part is the figure to quote. Each
MRR comes with its bootstrap interval, and the search is compared with each baseline by the
interval of the paired difference.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime
from datetime import time as day_time
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from redaktion.core.evaluation import TUNING, Estimate, bootstrap, paired_difference, split

from . import analysis
from .backends import Filters, IndexRow, Ranking, RankWeights, backend
from .models import SearchSettings
from .selectors import PAGE_SIZE

K = 10
TABLES = {
    "document_table": "suche_eval_document",
    "term_table": "suche_eval_term",
    "fts_table": "suche_eval_fts",
    "vocab_table": "suche_eval_vocab",
}


class EvaluationFileError(Exception):
    """The file cannot be evaluated; the message says where and why."""


@dataclass
class Article:
    id: str
    title: str
    published_at: datetime
    body: str


@dataclass
class Score:
    """Reciprocal ranks of one method, one per article, in the order of the file."""

    name: str
    ranks: list[float]
    seconds: float


@dataclass
class PartReport:
    """The scores of every method on one part, and the paired differences engine − other."""

    part: str
    count: int
    mrr: dict[str, Estimate]
    recall: dict[str, float]
    differences: dict[str, Estimate]


def read_articles(path: str | Path) -> list[Article]:
    path = Path(path)
    if not path.is_file():
        raise EvaluationFileError(f"{path}: no such file")
    tz = timezone.get_current_timezone()
    articles = []
    try:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                    day = datetime.strptime(data["date"], "%Y-%m-%d").date()
                    article = Article(
                        str(data["id"]),
                        str(data["title"]),
                        datetime.combine(day, day_time(12), tzinfo=tz),
                        str(data["body"]),
                    )
                except json.JSONDecodeError as exc:
                    raise EvaluationFileError(f"{path}, line {number}: not JSON ({exc})") from exc
                except KeyError as exc:
                    raise EvaluationFileError(
                        f"{path}, line {number}: the field {exc} is missing"
                    ) from exc
                except (TypeError, ValueError) as exc:
                    raise EvaluationFileError(
                        f"{path}, line {number}: the date must be YYYY-MM-DD"
                    ) from exc
                articles.append(article)
    except UnicodeDecodeError as exc:
        raise EvaluationFileError(f"{path}: not UTF-8 (byte {exc.start})") from exc
    if len(articles) < 2:
        raise EvaluationFileError(f"{path}: {len(articles)} article(s); at least 2 are needed")
    return articles


def query_words(title: str, count: int = 2) -> list[str]:
    """The first ``count`` words of ``title`` that are not stopwords, as written."""
    words = []
    for match in analysis._WORD_RE.finditer(title):
        if analysis.is_indexed_word(analysis.normalise(match.group())):
            words.append(match.group())
        if len(words) == count:
            break
    return words


def reciprocal_rank(ranked: list[int], target: int) -> float:
    try:
        return 1.0 / (ranked.index(target) + 1)
    except ValueError:
        return 0.0


def baseline(articles: list[Article], queries: list[list[str]]) -> Score:
    """Articles whose body contains every query word (case-insensitive, as SQL's
    ``icontains``: no folding of ß or umlauts), newest first."""
    started = time.perf_counter()
    bodies = [a.body.lower() for a in articles]
    newest_first = sorted(
        range(len(articles)), key=lambda i: articles[i].published_at, reverse=True
    )
    ranks = []
    for target, words in enumerate(queries):
        needles = [w.lower() for w in words]
        hits = [i for i in newest_first if needles and all(n in bodies[i] for n in needles)][:K]
        ranks.append(reciprocal_rank(hits, target))
    return Score("baseline", ranks, time.perf_counter() - started)


def tfidf(articles: list[Article], queries: list[list[str]], *, sublinear: bool = True) -> Score:
    """Cosine of TF-IDF vectors of the bodies and of the query words, both analysed by the
    product's own German analysis (``analysis.tokens``: stopwords, Snowball stems), with
    scikit-learn's smoothed IDF and (``sublinear``) logarithmic term frequencies. Articles
    that share no term with the query are not results; ties keep the order of the file."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    started = time.perf_counter()
    vectorizer = TfidfVectorizer(analyzer=analysis.tokens, sublinear_tf=sublinear)
    documents = vectorizer.fit_transform([a.body for a in articles])
    similarities = (vectorizer.transform([" ".join(q) for q in queries]) @ documents.T).tocsr()
    ranks = []
    for target in range(len(queries)):
        row = similarities.getrow(target)
        best = sorted(zip(row.indices, row.data, strict=True), key=lambda p: (-p[1], p[0]))
        ranks.append(reciprocal_rank([int(i) for i, _ in best[:K]], target))
    return Score("tfidf", ranks, time.perf_counter() - started)


def engine(
    articles: list[Article], queries: list[list[str]], *, weights: RankWeights | None = None
) -> Score:
    """The search on temporary tables of the configured database (see the module doc);
    ``weights`` replace the product's ranking parameters (for tuning)."""
    started = time.perf_counter()
    defaults = {
        f.name: f.default
        for f in SearchSettings._meta.fields
        if f.name in ("recency_weight", "half_life_days")
    }
    ranking = Ranking(
        now=max(a.published_at for a in articles),
        recency_weight=defaults["recency_weight"],
        half_life_days=defaults["half_life_days"],
        weights=weights or RankWeights(),
    )
    ranks = []
    with transaction.atomic():
        index = backend(connection, **TABLES)
        with connection.cursor() as cursor:
            index.create_tables(cursor, temporary=True)
        try:
            rows = [
                IndexRow(
                    article_id=i,
                    ressort_id=0,
                    published_at=a.published_at,
                    year=a.published_at.year,
                    topic_ids=[],
                    author_ids=[],
                    headline=[],
                    lead=[],
                    body=analysis.tokens(a.body),
                    topics=[],
                )
                for i, a in enumerate(articles)
            ]
            for start in range(0, len(rows), 200):
                index.write(rows[start : start + 200])
            index.analyse()
            for target, words in enumerate(queries):
                query = analysis.parse(" ".join(words))
                if not query:
                    ranks.append(0.0)
                    continue
                expansions = index.expand(query)
                _, ranked, _ = index.search(
                    query, expansions, Filters(), ranking, limit=K, fewer_than=PAGE_SIZE
                )
                ranks.append(reciprocal_rank([pk for pk, _ in ranked], target))
        finally:
            with connection.cursor() as cursor:
                index.drop_tables(cursor)
    return Score("search", ranks, time.perf_counter() - started)


def report(scores: list[Score], parts: dict[str, list[int]]) -> list[PartReport]:
    """Per part: MRR@10 of each method with its bootstrap interval, recall@10, and the
    paired difference of the engine (the first score) with each other method."""
    reports = []
    for part, items in parts.items():
        if not items:
            continue
        picked = {s.name: [s.ranks[i] for i in items] for s in scores}
        first = scores[0].name
        reports.append(
            PartReport(
                part=part,
                count=len(items),
                mrr={name: bootstrap(ranks) for name, ranks in picked.items()},
                recall={name: sum(r > 0 for r in rr) / len(rr) for name, rr in picked.items()},
                differences={
                    name: paired_difference(picked[first], ranks)
                    for name, ranks in picked.items()
                    if name != first
                },
            )
        )
    return reports


def tfidf_on_tuning(articles, queries, tuning: list[int]) -> tuple[Score, bool]:
    """The TF-IDF baseline with the term frequency (raw or logarithmic) that does better on
    the tuning part, and which one it is: the baseline is tuned like the engine."""
    options = [tfidf(articles, queries, sublinear=s) for s in (False, True)]
    mrr = [sum(o.ranks[i] for i in tuning) for o in options]
    best = int(mrr[1] > mrr[0])
    return options[best], bool(best)


def evaluate(path: str | Path, *, only: str | None = None) -> tuple[int, list[PartReport], bool]:
    """(number of articles, the report of the tuning and of the check part, whether the
    TF-IDF baseline uses logarithmic term frequencies) on the file at ``path``; the query
    of every article is in the part of the article's id. ``only`` (a part) reports that part
    alone: while a change is tried, the check part stays unseen."""
    articles = read_articles(path)
    queries = [query_words(a.title) for a in articles]
    parts = split(range(len(articles)), key=lambda i: articles[i].id)
    reference, sublinear = tfidf_on_tuning(articles, queries, parts[TUNING])
    scores = [engine(articles, queries), reference, baseline(articles, queries)]
    if only is not None:
        parts = {only: parts[only]}
    return len(articles), report(scores, parts), sublinear
