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

    panels = [FieldPanel("recency_weight"), FieldPanel("half_life_days")]

    class Meta:
        verbose_name = _("search")
