"""The search index: one row per published article, plus the index vocabulary.

``SearchDocument`` holds what filters and facets need without touching the page tree
(Ressort, publication time and year, topic and author ids). The searchable text lives next
to it in a backend-specific structure created by the migrations:

* PostgreSQL: a ``vector tsvector`` column on the same table with a GIN index; the text is
  analysed in Python (``analysis.tokens``) and stored with the ``simple`` configuration, in
  four weights: A headline, B kicker and lead, C body, D topic names;
* SQLite: an FTS5 table ``suche_fts`` (rowid = article id) with the four fields as columns.

``SearchTerm`` is the vocabulary of the index (every stem ever indexed, never removed): the
compound rule looks up which longer stems contain a query word and whether their other part
is a word of its own.

What editors steer: ``SearchSettings.synonyms`` (groups of words a search treats as one) and
``SearchBoost`` (an article ranked higher for a word). What they learn from:
``QueryLogEntry``, the query log (query, number of results, rank clicked; nothing about the
reader), reported in the admin as zero-result and low-click queries.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class SearchDocument(models.Model):
    article = models.OneToOneField(
        "news.ArticlePage",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_document",
    )
    ressort_id = models.IntegerField()
    published_at = models.DateTimeField()
    year = models.SmallIntegerField()
    topic_ids = models.JSONField(default=list)
    author_ids = models.JSONField(default=list)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["-published_at"], name="suche_doc_published"),
            models.Index(fields=["ressort_id", "-published_at"], name="suche_doc_ressort"),
        ]

    def __str__(self):
        return f"search document of article {self.article_id}"


class SearchTerm(models.Model):
    term = models.CharField(max_length=100, primary_key=True)
    reversed = models.CharField(max_length=100, db_index=True)

    def __str__(self):
        return self.term


@register_setting(icon="search")
class SearchSettings(BaseSiteSetting):
    recency_weight = models.FloatField(
        _("weight of recency"),
        default=0.2,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_(
            "0 ranks results by relevance alone; 1 halves the score of a result for every "
            "half-life of its age."
        ),
    )
    half_life_days = models.PositiveIntegerField(
        _("half-life in days"),
        default=365,
        validators=[MinValueValidator(1)],
        help_text=_("Age at which the recency boost has halved."),
    )

    synonyms = models.TextField(
        _("synonyms"),
        blank=True,
        help_text=_(
            "One group of words that mean the same per line, separated by commas (Haushalt, "
            "Etat, Budget): a search for one of them also finds the others."
        ),
    )

    panels = [FieldPanel("recency_weight"), FieldPanel("half_life_days"), FieldPanel("synonyms")]

    def synonym_groups(self) -> list[list[str]]:
        """The groups of ``synonyms``, each a list of two or more words as written."""
        groups = []
        for line in self.synonyms.splitlines():
            words = [w.strip() for w in line.split(",") if w.strip()]
            if len(words) > 1:
                groups.append(words)
        return groups

    class Meta:
        verbose_name = _("search")


class SearchBoost(models.Model):
    """An editor's boost: among the results of a search with ``word``, ``article`` ranks
    ``factor`` times higher than its relevance alone would put it (it must still match)."""

    word = models.CharField(
        _("search word"), max_length=100, help_text=_("One word; its other forms count too.")
    )
    article = models.ForeignKey(
        "news.ArticlePage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("article"),
    )
    factor = models.FloatField(
        _("factor"),
        default=2.0,
        validators=[MinValueValidator(0.1), MaxValueValidator(10.0)],
        help_text=_("2 doubles the article's score for this word; below 1 lowers it."),
    )

    panels = [FieldPanel("word"), FieldPanel("article"), FieldPanel("factor")]

    class Meta:
        verbose_name = _("search boost")
        verbose_name_plural = _("search boosts")
        constraints = [
            models.UniqueConstraint(fields=["word", "article"], name="suche_boost_unique")
        ]

    def __str__(self):
        return f"{self.word} → {self.article_id} × {self.factor}"


class QueryLogEntry(models.Model):
    """One search, or one click on a result of it: the query as typed (normalised), its
    number of results and the rank clicked. Nothing about the reader is kept (no account,
    address, cookie or browser) and only the day, so that an entry cannot be tied to a
    request in a server's log."""

    day = models.DateField()
    text = models.CharField(max_length=200)
    results = models.PositiveIntegerField()
    clicked_rank = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["day", "text"], name="suche_log_day_text")]

    def __str__(self):
        return self.text
