from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from redaktion.news.models import ArticlePage

from . import admin_views
from .models import MostReadExclusion


class MostReadExclusionViewSet(SnippetViewSet):
    model = MostReadExclusion
    icon = "no-view"
    menu_label = _("Excluded from Most read")
    list_display = ["article", "reason", "created_at"]
    add_to_admin_menu = False


register_snippet(MostReadExclusionViewSet)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("reports/reads/", admin_views.report_index, name="analytics_report"),
        path(
            "reports/reads/<int:article_id>/",
            admin_views.article_report,
            name="analytics_article_report",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return MenuItem(
        _("Read counts"), reverse("analytics_report"), icon_name="view", order=810, name="reads"
    )


@hooks.register("register_page_listing_more_buttons")
def read_counts_button(page, user, next_url=None, **kwargs):
    specific_class = page.specific_class
    if (
        specific_class is not None
        and issubclass(specific_class, ArticlePage)
        and page.permissions_for_user(user).can_edit()
    ):
        yield Button(
            _("Read counts"),
            reverse("analytics_article_report", args=[page.pk]),
            icon_name="view",
            priority=60,
        )
