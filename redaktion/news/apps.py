from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "redaktion.news"
    label = "news"
    verbose_name = _("Newsroom")

    def ready(self):
        from . import surrogates  # noqa: F401  (connects the receivers and hooks)
