from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "redaktion.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import outbox, signals

        outbox.register_step(
            signals.SITE_TOPIC, "core.purge_site", signals.purge_site, outbox.PURGE
        )
