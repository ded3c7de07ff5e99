"""The editors' read-count reports in the Wagtail admin: the week's most-read articles, and
per article the views per hour since it was first counted and the referrer hosts readers
came from, each exportable as CSV (ISO times, plain integers, for spreadsheets).

An editor sees the report of an article he may edit; the week's list shows only those.
"""

import csv

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from redaktion.news.models import ArticlePage

from . import selectors


def _may_see(user, article) -> bool:
    return article.permissions_for_user(user).can_edit()


def report_index(request):
    """The articles read most in the last seven days (all states, exclusions included)."""
    top = selectors.top_articles()
    editable = {
        page.pk: page
        for page in ArticlePage.objects.filter(pk__in=[row["article_id"] for row in top])
    }
    rows = [
        {**row, "article": editable[row["article_id"]]}
        for row in top
        if row["article_id"] in editable and _may_see(request.user, editable[row["article_id"]])
    ]
    return TemplateResponse(
        request,
        "analytics/admin/report_index.html",
        {"page_title": _("Read counts"), "header_icon": "view", "rows": rows},
    )


def article_report(request, article_id: int):
    """Views per hour and referrer hosts of one article; ``?export=csv`` for the file."""
    article = get_object_or_404(ArticlePage, pk=article_id)
    if not _may_see(request.user, article):
        raise PermissionDenied
    hours = selectors.article_hours(article.pk)
    referrers = selectors.article_referrers(article.pk)
    if request.GET.get("export") == "csv":
        return _csv(article, hours, referrers)
    return TemplateResponse(
        request,
        "analytics/admin/article_report.html",
        {
            "page_title": _("Read counts"),
            "page_subtitle": article.title,
            "header_icon": "view",
            "article": article,
            "hours": [(timezone.localtime(hour), views) for hour, views in hours],
            "referrers": referrers,
            "total": sum(views for _hour, views in hours),
        },
    )


def _csv(article, hours, referrers) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"lesezahlen-{article.pk}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(["kind", "hour", "referrer_host", "views"])
    for hour, views in hours:
        writer.writerow(["hour", hour.isoformat(), "", views])
    for host, views in referrers:
        writer.writerow(["referrer", "", host, views])
    return response
