"""Read counts: views per article and hour with the referrer hosts they came from, the
flushes already written, and the articles editors keep out of "Meistgelesen".

Nothing here names a reader: no address, no user agent, no cookie, no hash of them. The
counts arrive in batches from the cache (``services.reads_flush``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class ArticleReadHour(models.Model):
    """The views of one article in one hour (UTC, the full hour's start), and how many of
    them came from each referring host (``{"www.google.de": 12, "": 3}``; an empty host: none
    sent). Only the host is kept, never the address of the referring page. One row holds
    both, so a flush writes one row per article and hour whatever the readers' origins."""

    article = models.ForeignKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="read_hours"
    )
    hour = models.DateTimeField(_("hour"))
    views = models.PositiveIntegerField(_("views"), default=0)
    referrers = models.JSONField(_("referrer hosts"), default=dict, blank=True)

    class Meta:
        verbose_name = _("views per hour")
        verbose_name_plural = _("views per hour")
        constraints = [
            models.UniqueConstraint(fields=["article", "hour"], name="unique_article_read_hour")
        ]
        indexes = [models.Index(fields=["hour", "article"], name="analytics_read_hour_idx")]

    def __str__(self):
        return f"{self.article_id} {self.hour:%Y-%m-%d %H}:00 {self.views}"


class AppliedFlush(models.Model):
    """A batch of counts written to the database, recorded in the same transaction as the
    counts: a batch that is written again (the worker died before the cache forgot it) is
    recognised by its id and skipped. Pruned after a week."""

    flush_id = models.CharField(max_length=64, unique=True)
    applied_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return self.flush_id


class MostReadExclusion(models.Model):
    """An article editors keep out of "Meistgelesen" and the API's most-read list (an
    obituary, a correction notice, an article read for the wrong reasons). Its views are
    still counted."""

    article = models.OneToOneField(
        "news.ArticlePage",
        on_delete=models.CASCADE,
        related_name="most_read_exclusion",
        verbose_name=_("article"),
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("excluded at"), auto_now_add=True)

    panels = [FieldPanel("article"), FieldPanel("reason")]

    class Meta:
        verbose_name = _("excluded from Most read")
        verbose_name_plural = _("excluded from Most read")
        ordering = ["-created_at"]

    def __str__(self):
        return str(self.article)
