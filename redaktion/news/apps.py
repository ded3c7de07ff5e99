from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "redaktion.news"
    label = "news"
    verbose_name = _("Newsroom")

    def ready(self):
        from . import live_services, publishing, signals, surrogates  # noqa: F401

        publishing.register_steps()
        live_services.register_steps()
