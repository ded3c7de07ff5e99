from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "redaktion.news"
    label = "news"
    verbose_name = _("Newsroom")

    def ready(self):
        from . import publishing, signals, surrogates  # noqa: F401  (receivers and hooks)

        publishing.register_steps()
