from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdsConfig(AppConfig):
    name = "redaktion.ads"
    label = "ads"
    verbose_name = _("Advertisements")

    def ready(self):
        from . import signals  # noqa: F401
