from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "redaktion.desk"
    label = "desk"
    verbose_name = _("Editorial desk")

    def ready(self):
        from . import signals  # noqa: F401
