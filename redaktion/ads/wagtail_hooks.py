from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .admin_views import DeliveryReportView
from .models import Campaign, Slot


class CampaignViewSet(SnippetViewSet):
    model = Campaign
    icon = "pick"
    menu_label = _("Campaigns")
    list_display = ["name", "advertiser", "kind", "starts_at", "ends_at", "priority", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "advertiser"]
    ordering = ["-starts_at"]


class SlotViewSet(SnippetViewSet):
    model = Slot
    icon = "placeholder"
    menu_label = _("Slots")
    list_display = ["__str__", "size", "position", "enabled"]


class AdsViewSetGroup(SnippetViewSetGroup):
    items = (CampaignViewSet, SlotViewSet)
    menu_icon = "pick"
    menu_label = _("Advertisements")
    menu_name = "ads"
    menu_order = 250


register_snippet(AdsViewSetGroup)


@hooks.register("register_admin_urls")
def register_report_urls():
    view = DeliveryReportView.as_view()
    results = DeliveryReportView.as_view(results_only=True)
    return [
        path("reports/ads/", view, name="ads_report"),
        path("reports/ads/results/", results, name="ads_report_results"),
    ]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return user.is_active and (
            user.is_superuser
            or any(user.has_perm(f"ads.{action}_campaign") for action in ("add", "change"))
        )


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return ReportMenuItem(
        _("Ad delivery"), reverse("ads_report"), icon_name="pick", order=800, name="ads-report"
    )
