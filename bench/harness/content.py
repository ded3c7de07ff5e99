"""Generated content for the benchmarks, written inside Django (after
``harness.django_setup()``, or in a script run in the site with ``Site.python()``):

* ``insert_live_articles()``: live articles written straight into the page tree, in bulk;
* ``evaluation_words()``: the words of the evaluation texts in ../shared/data and how often
  each occurs, from which synthetic German text is drawn at run time (no text is copied
  anywhere).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .servers import ROOT

if TYPE_CHECKING:
    from wagtail.models import Page

    from redaktion.news.models import ArticlePage

DATA = ROOT.parent / "shared" / "data"
EVALUATION_TEXTS = (DATA / "10kgnad-dev.csv", DATA / "wikinews-de.jsonl")


def evaluation_words(min_length: int) -> Counter:
    """The words of at least ``min_length`` letters in the evaluation texts, counted. Exits
    if neither text is there."""
    counts: Counter = Counter()
    word = re.compile(rf"[A-Za-zÄÖÜäöüß]{{{min_length},}}")
    for path in EVALUATION_TEXTS:
        if path.exists():
            counts.update(word.findall(path.read_text(encoding="utf-8")))
    if not counts:
        raise SystemExit(f"{DATA} has no evaluation texts to draw words from")
    return counts


def insert_live_articles(placed: Iterable[tuple[Page, ArticlePage]]) -> list[ArticlePage]:
    """Writes live articles, each below its Ressort, straight into the page tree; call it
    inside a transaction. Each unsaved ``ArticlePage`` (title, slug, dates and content set)
    takes the next tree position below its Ressort; the page rows and then the article rows
    are inserted with one statement each, and the Ressorts' child counts are updated (in the
    Ressort objects too, so that they can be passed again). Returns the articles, which now
    have their ids.

    Creating a page through Wagtail (add_child, revision, publish) costs about 0.3 s of CPU,
    which would make 10,000 articles take most of an hour. The benchmarks measure what comes
    after, so this writes only the rows a published article has: no revision, no signal (so
    no search-index entry, no alert, no related list)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page

    from redaktion.news.models import ArticlePage

    content_type = ContentType.objects.get_for_model(ArticlePage)
    articles, ressorts = [], {}
    for ressort, article in placed:
        ressort.numchild += 1
        ressorts[ressort.pk] = ressort
        article.draft_title = article.title
        article.content_type = content_type
        article.locale_id = ressort.locale_id
        article.path = Page._get_path(ressort.path, ressort.depth + 1, ressort.numchild)
        article.depth = ressort.depth + 1
        article.numchild = 0
        article.url_path = f"{ressort.url_path}{article.slug}/"
        article.live = True
        article.has_unpublished_changes = False
        articles.append(article)
    page_fields = [field.attname for field in Page._meta.concrete_fields if field.attname != "id"]
    pages = Page.objects.bulk_create(
        Page(**{name: getattr(article, name) for name in page_fields}) for article in articles
    )
    for article, page in zip(articles, pages, strict=True):
        article.id = article.page_ptr_id = page.pk
    ArticlePage._base_manager._insert(
        articles, fields=ArticlePage._meta.local_concrete_fields, raw=True
    )
    for ressort in ressorts.values():
        Page.objects.filter(pk=ressort.pk).update(numchild=ressort.numchild)
    return articles
