"""The Eilmeldung banner: one line across every page of the site (text, link, end time),
set by the Chef vom Dienst as a snippet.

Cached pages are the same for every reader and may be minutes old, so the banner is not in
them: a small script on every page (``static/js/breaking.js``) asks ``/live/eilmeldung/``,
whose answer is public for at most ``BREAKING_SECONDS`` and never past the banner's end,
carries the key ``eilmeldung`` and is purged when a banner is saved or deleted. The script
hides the banner at its end time by itself.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

BREAKING_KEY = "eilmeldung"


class BreakingNews(models.Model):
    text = models.CharField(_("text"), max_length=160)
    link = models.CharField(
        _("link"),
        max_length=300,
        blank=True,
        help_text=_("An address on this site (/politik/…) or a full URL."),
    )
    starts_at = models.DateTimeField(_("shown from"), default=timezone.now)
    ends_at = models.DateTimeField(_("shown until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    panels = [
        FieldPanel("text"),
        FieldPanel("link"),
        FieldPanel("starts_at"),
        FieldPanel("ends_at"),
    ]

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("breaking news banner")
        verbose_name_plural = _("breaking news banners")
        indexes = [models.Index(fields=["ends_at", "starts_at"], name="breaking_current_idx")]

    def __str__(self):
        return self.text

    def clean(self):
        super().clean()
        if self.link and not (self.link.startswith(("/", "https://", "http://"))):
            raise ValidationError({"link": _("Start the link with / or https://.")})
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must come after the start.")})

    def as_json(self) -> dict:
        return {
            "text": self.text,
            "url": self.link,
            "starts_at": self.starts_at.isoformat(),
            "ends_at": self.ends_at.isoformat(),
        }
