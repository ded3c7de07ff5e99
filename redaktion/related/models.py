"""Storage of "Mehr zum Thema": the engine's index and lists, and the editors' controls.

Only ``news.ArticlePage`` content is ever indexed; ads (campaigns, native teasers) are a
different model and never ArticlePages, so they can never be suggested.

Index (rewritten by ``redaktion related rebuild``, kept fresh by the publish pipeline):

* ``Term``: every analysed term with its document frequency; ids are the vector columns.
* ``CorpusState``: one row with the number of indexed articles and their total lengths.
* ``ArticleVector``: per published article its plain vector and its profile (``engine``),
  stored as packed ``int32`` ids + ``float16`` weights (6 bytes a term), plus what scoring
  needs without touching the page tree (Ressort path, publication time, topic ids, names).
* ``CommonWord``: the capitalised words of the corpus that are common nouns or adjectives,
  not names (``engine.names``), learned by the rebuild, read when one article is indexed.
* ``Posting``: inverted index over the ``POSTING_TERMS`` heaviest profile terms of each
  article, indexed by (term, weight) so candidates come from a few index range scans.
* ``TopicPosting``: the same for topics, indexed by (topic, publication time).

Lists and controls:

* ``Suggestion``: an article's ``LIST_LENGTH`` best suggestions with their similarity.
* ``RelatedPick``: an article the editor puts into this one's list; picks come first, in
  their order, before any suggestion.
* ``RelatedBlock``: an article the editor never wants under this one.

Both are edited inline in the article editor (``ArticlePage.content_panels`` in
``redaktion/news/models.py`` names them, with the engine's suggestions after them).
* ``RelatedSettings``: the site's weight of recency against similarity.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable


class Term(models.Model):
    text = models.CharField(max_length=100, unique=True)
    df = models.PositiveIntegerField(default=0)

    def __str__(self):
        return self.text


class CorpusState(models.Model):
    """The single row (pk 1) of corpus statistics for BM25 and IDF."""

    documents = models.PositiveIntegerField(default=0)
    stem_length = models.BigIntegerField(default=0)
    gram_length = models.BigIntegerField(default=0)
    rebuilt_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.documents} articles"


class ArticleVector(models.Model):
    article = models.OneToOneField(
        "news.ArticlePage",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="related_vector",
    )
    ressort_path = models.CharField(max_length=255)
    published_at = models.DateTimeField(null=True)
    topic_ids = models.CharField(max_length=1000, blank=True)
    # The article's names (``engine.names``), most frequent first, separated by "|".
    names = models.TextField(blank=True, default="")
    vector = models.BinaryField()
    profile = models.BinaryField()
    indexed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"vector of article {self.article_id}"


class CommonWord(models.Model):
    """A capitalised word form (lower case, ``ß`` as ``ss``) that the corpus shows to be a
    common word, not a name; ``adjective`` when it is also written in lower case."""

    word = models.CharField(max_length=100, primary_key=True)
    adjective = models.BooleanField(default=False)

    def __str__(self):
        return self.word


class Posting(models.Model):
    # Both foreign keys are served by the indexes below (term first, article first).
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="+", db_index=False)
    article = models.ForeignKey(
        ArticleVector, on_delete=models.CASCADE, related_name="postings", db_index=False
    )
    weight = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "term"], name="related_posting_unique")
        ]
        indexes = [
            models.Index(
                fields=["term", "-weight"], include=["article"], name="related_posting_term"
            )
        ]

    def __str__(self):
        return f"{self.term_id} → {self.article_id}"


class TopicPosting(models.Model):
    """An indexed article under one of its topics, newest first per topic: the topic
    candidates of a new article come from one index range scan per topic."""

    topic_id = models.PositiveIntegerField()
    published_at = models.DateTimeField(null=True)
    article = models.ForeignKey(
        ArticleVector, on_delete=models.CASCADE, related_name="topic_postings", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "topic_id"], name="related_topic_unique")
        ]
        indexes = [
            models.Index(
                fields=["topic_id", "-published_at"],
                include=["article"],
                name="related_topic_newest",
            )
        ]

    def __str__(self):
        return f"{self.topic_id} → {self.article_id}"


class Suggestion(models.Model):
    """One entry of an article's automatic list; the order is by ``score``, highest first."""

    # Served by the unique (article, suggested) index.
    article = models.ForeignKey(
        "news.ArticlePage",
        on_delete=models.CASCADE,
        related_name="related_suggestions",
        db_index=False,
    )
    suggested = models.ForeignKey("news.ArticlePage", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "suggested"], name="related_suggestion_unique"
            )
        ]
        indexes = [models.Index(fields=["article", "-score"], name="related_suggestion_rank")]

    def __str__(self):
        return f"{self.article_id} → {self.suggested_id} ({self.score:.3f})"


class EditorsArticle(Orderable):
    """An article an editor names in the editor of another (``page``), in the editor's order."""

    article = models.ForeignKey(
        "news.ArticlePage",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [PageChooserPanel("article", "news.ArticlePage")]

    class Meta(Orderable.Meta):
        abstract = True


class RelatedPick(EditorsArticle):
    """An editor's pick for "Mehr zum Thema"; picks come before any automatic suggestion."""

    page = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="related_picks")


class RelatedBlock(EditorsArticle):
    """An article that must never appear in this article's "Mehr zum Thema"."""

    page = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="related_blocks")

    class Meta(EditorsArticle.Meta):
        verbose_name = _("blocked article")
        verbose_name_plural = _("blocked articles")
        constraints = [
            models.UniqueConstraint(fields=["page", "article"], name="related_block_unique")
        ]


@register_setting(icon="link")
class RelatedSettings(BaseSiteSetting):
    recency_weight = models.FloatField(
        _("weight of recency"),
        default=0.3,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_(
            "0 ranks suggestions by similarity alone; 1 halves the score of a suggestion for "
            "every 30 days between the two articles."
        ),
    )

    panels = [FieldPanel("recency_weight")]

    class Meta:
        verbose_name = _("Mehr zum Thema")
