from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelatedConfig(AppConfig):
    name = "redaktion.related"
    label = "related"
    verbose_name = _("Mehr zum Thema")

    def ready(self):
        from . import pipeline

        pipeline.register_steps()
