from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "redaktion.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import checks, database, outbox, signals, sites  # noqa: F401 (they register)

        post_migrate.connect(
            database.statistics_after_migrate, sender=self, dispatch_uid="core.statistics"
        )

        outbox.register_step(
            signals.SITE_TOPIC, "core.purge_site", signals.purge_site, outbox.PURGE
        )
