from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .models import SearchBoost


class SearchBoostViewSet(SnippetViewSet):
    model = SearchBoost
    icon = "search"
    menu_label = _("Search boosts")
    list_display = ["word", "article", "factor"]
    search_fields = ["word"]
    add_to_admin_menu = False


register_snippet(SearchBoostViewSet)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("reports/search/", admin_views.query_log_report, name="search_query_report")]


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return MenuItem(
        _("Search queries"),
        reverse("search_query_report"),
        icon_name="search",
        order=820,
        name="search-queries",
    )
