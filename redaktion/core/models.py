from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


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
        MultiFieldPanel(
            [FieldPanel("impressum_page"), FieldPanel("privacy_page")],
            heading=_("Legal pages"),
        ),
    ]

    class Meta:
        verbose_name = _("brand")
