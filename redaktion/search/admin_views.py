"""The editors' query log report in the Wagtail admin: what readers searched for and found
nothing, and what they found but rarely opened (candidates for synonyms, boosts and
promotions)."""

from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from . import selectors


def query_log_report(request):
    """Zero-result and low-click queries of the last ``selectors.REPORT_DAYS`` days."""
    zero, low = selectors.query_log_report()
    return TemplateResponse(
        request,
        "search/admin/query_log.html",
        {
            "page_title": _("Search queries"),
            "header_icon": "search",
            "zero": zero,
            "low": low,
            "days": selectors.REPORT_DAYS,
            "min_searches": selectors.LOW_CLICK_MIN_SEARCHES,
            "low_rate": round(selectors.LOW_CLICK_RATE * 100),
        },
    )
