"""Reads of the ad app for the admin: the delivery report per campaign and day."""

from django.db.models import QuerySet

from .models import CampaignDay


def campaign_days() -> QuerySet[CampaignDay]:
    """Delivery rows, newest day first, with their campaign (one query per page of rows)."""
    return CampaignDay.objects.select_related("campaign").order_by(
        "-day", "campaign__advertiser", "campaign__name"
    )
