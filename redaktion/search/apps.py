from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "redaktion.search"
    # "search" would clash with nothing today, but Wagtail's app is "wagtailsearch" and its
    # promotions app "wagtailsearchpromotions"; "suche" keeps the tables obviously ours.
    label = "suche"
    verbose_name = _("Search")

    def ready(self):
        from . import pipeline, signals  # noqa: F401 (signals connects its receivers)

        pipeline.register_steps()
