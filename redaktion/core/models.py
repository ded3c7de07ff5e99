from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

# Google asks for article images at least 1200 px wide (large previews in Discover, Top Stories).
SHARE_IMAGE_MIN_WIDTH = 1200


@register_setting(icon="site")
class BrandSettings(BaseSiteSetting):
    """The publication's identity: the short name on every teaser, the logo, legal pages."""

    name = models.CharField(_("name"), max_length=100, default="Redaktion")
    short_name = models.CharField(
        _("short name"),
        max_length=12,
        default="RED",
        help_text=_("Shown on every teaser of the river, e.g. DWN."),
    )
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    share_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("default share image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Shown by search engines and social networks for articles without a lead image "
            "(Google's Top Stories need an image); at least 1200 pixels wide."
        ),
    )
    impressum_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("Impressum page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("short_name"), FieldPanel("tagline")],
            heading=_("Brand"),
        ),
        FieldPanel("logo"),
        FieldPanel("share_image"),
        MultiFieldPanel(
            [FieldPanel("impressum_page"), FieldPanel("privacy_page")],
            heading=_("Legal pages"),
        ),
    ]

    def clean(self):
        super().clean()
        if self.share_image is not None and self.share_image.width < SHARE_IMAGE_MIN_WIDTH:
            raise ValidationError(
                {
                    "share_image": _(
                        "This image is %(width)d pixels wide; search engines need at least "
                        "%(minimum)d."
                    )
                    % {"width": self.share_image.width, "minimum": SHARE_IMAGE_MIN_WIDTH}
                }
            )

    class Meta:
        verbose_name = _("brand")


class OutboxEntry(models.Model):
    """One step of the work an event causes, written in the event's own transaction and
    drained by the worker (``redaktion.core.outbox``). The entries of one event share
    ``event``; ``subject`` names what they are about (``article-12``), and entries of one
    subject run in order: earlier events first, and within an event by ``stage``."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    topic = models.CharField(_("topic"), max_length=50)
    subject = models.CharField(_("subject"), max_length=100)
    event = models.UUIDField(_("event"))
    payload = models.JSONField(_("payload"), default=dict)
    step = models.CharField(_("step"), max_length=100)
    stage = models.PositiveSmallIntegerField(_("stage"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    available_at = models.DateTimeField(_("available at"))
    leased_until = models.DateTimeField(_("leased until"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox entry")
        verbose_name_plural = _("outbox entries")
        indexes = [
            # Draining reads the unfinished entries only; done ones pile up until pruned.
            models.Index(
                fields=["available_at", "id"],
                condition=models.Q(state__in=["pending", "running"]),
                name="core_outbox_due",
            ),
            models.Index(
                fields=["subject", "id"],
                condition=models.Q(state__in=["pending", "running"]),
                name="core_outbox_subject",
            ),
            models.Index(fields=["state", "finished_at"], name="core_outbox_state"),
        ]

    def __str__(self):
        return f"{self.step} {self.subject} ({self.state})"
