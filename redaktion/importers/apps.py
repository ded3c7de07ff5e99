from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportersConfig(AppConfig):
    """Bringing a newsroom over (``redaktion import wordpress …``). It writes through the news
    app's models and factories; nothing in the product imports this app."""

    name = "redaktion.importers"
    label = "importers"
    verbose_name = _("Importers")

    def ready(self):
        from . import pipeline

        pipeline.register_steps()
