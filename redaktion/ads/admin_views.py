"""The delivery report in the Wagtail admin: impressions and clicks per campaign and day,
filterable by campaign and period, exportable as CSV (and XLSX).

On screen the report speaks the admin's language: days as dates (``06.12.2026``, not
Wagtail's "17 hours ago"), numbers and rates with the locale's separators (``1.200``,
``0,50 %``). The exports are for machines and spreadsheets and read the same in every
language: ISO days (``2026-12-06``), plain integers and the click rate as a fraction with
a dot (``0.005``), comma-separated; XLSX gets real date and number cells, which the
spreadsheet shows in its own locale.
"""

import django_filters
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
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


class DayColumn(Column):
    """The day as a date in the admin's format, never as a time ago."""

    def get_value(self, instance):
        return formats.date_format(super().get_value(instance), "SHORT_DATE_FORMAT")


class NumberColumn(Column):
    """A count with the locale's thousands separator."""

    def get_value(self, instance):
        return formats.number_format(super().get_value(instance), force_grouping=True)


class RateColumn(Column):
    """A fraction as a percentage with two decimals in the locale's notation; – for none."""

    def get_value(self, instance):
        rate = super().get_value(instance)
        if rate is None:
            return "–"
        return f"{formats.number_format(100 * rate, 2)} %"


def _fraction(rate: float | None) -> str | float:
    return "" if rate is None else round(rate, 6)


class DeliveryReportView(ReportView):
    page_title = _("Ad delivery")
    header_icon = "pick"
    index_url_name = "ads_report"
    index_results_url_name = "ads_report_results"
    filterset_class = CampaignDayFilterSet
    permission_policy = ModelPermissionPolicy(Campaign)
    any_permission_required = ["add", "change", "delete"]
    columns = [
        DayColumn("day", label=_("Day")),
        Column("campaign.advertiser", label=_("Advertiser")),
        Column("campaign.name", label=_("Campaign")),
        NumberColumn("impressions", label=_("Impressions")),
        NumberColumn("clicks", label=_("Clicks")),
        RateColumn("click_rate", label=_("Click rate")),
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
    custom_field_preprocess = {
        "click_rate": {ReportView.FORMAT_CSV: _fraction, ReportView.FORMAT_XLSX: _fraction}
    }
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
