from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyndicationConfig(AppConfig):
    name = "redaktion.syndication"
    label = "syndication"
    verbose_name = _("Syndication and search engines")

    def ready(self):
        from . import checks  # noqa: F401
