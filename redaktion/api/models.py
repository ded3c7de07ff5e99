"""API keys: partners who need more requests than the anonymous limit get a key of their
own. Only a hash of the key is stored; the key itself is shown once, when it is made
(``redaktion api_keys create``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class ApiKey(models.Model):
    name = models.CharField(_("name"), max_length=120, help_text=_("Who uses the key."))
    prefix = models.CharField(_("prefix"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    requests_per_minute = models.PositiveIntegerField(_("requests per minute"), default=600)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    panels = [FieldPanel("name"), FieldPanel("requests_per_minute"), FieldPanel("active")]

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
