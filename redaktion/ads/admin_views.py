"""The delivery report in the Wagtail admin: impressions and clicks per campaign and day,
filterable by campaign and period, exportable as CSV (and XLSX)."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from . import selectors
from .models import Campaign, CampaignDay


class CampaignDayFilterSet(WagtailFilterSet):
    campaign = django_filters.ModelChoiceFilter(
        label=_("Campaign"),
        queryset=Campaign.objects.order_by("advertiser", "name"),
        empty_label=_("All campaigns"),
    )
    day = django_filters.DateFromToRangeFilter(label=_("Day"), widget=DateRangePickerWidget)

    class Meta:
        model = CampaignDay
        fields = ["campaign", "day"]


class DeliveryReportView(ReportView):
    page_title = _("Ad delivery")
    header_icon = "pick"
    index_url_name = "ads_report"
    index_results_url_name = "ads_report_results"
    filterset_class = CampaignDayFilterSet
    permission_policy = ModelPermissionPolicy(Campaign)
    any_permission_required = ["add", "change", "delete"]
    columns = [
        DateColumn("day", label=_("Day")),
        Column("campaign.advertiser", label=_("Advertiser")),
        Column("campaign.name", label=_("Campaign")),
        NumberColumn("impressions", label=_("Impressions")),
        NumberColumn("clicks", label=_("Clicks")),
        Column("click_rate", label=_("Click rate")),
    ]
    list_export = [
        "day",
        "campaign.advertiser",
        "campaign.name",
        "campaign_id",
        "impressions",
        "clicks",
        "click_rate",
    ]
    export_headings = {
        "day": _("Day"),
        "campaign.advertiser": _("Advertiser"),
        "campaign.name": _("Campaign"),
        "campaign_id": _("Campaign ID"),
        "impressions": _("Impressions"),
        "clicks": _("Clicks"),
        "click_rate": _("Click rate"),
    }

    def get_queryset(self):
        return selectors.campaign_days()

    def get_filename(self):
        return f"anzeigen-auslieferung-{timezone.localdate():%Y-%m-%d}"
