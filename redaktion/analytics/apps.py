from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "redaktion.analytics"
    label = "analytics"
    verbose_name = _("Read counts")

    def ready(self):
        from . import signals  # noqa: F401
