"""The editors' report: the week's list, views per hour and referrer hosts of an article,
the CSV export, and who may see it; exclusions as snippets."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from redaktion.analytics.models import ArticleReadHour, MostReadExclusion
from redaktion.news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(db):
    article = ArticlePageFactory(publish=False, title="Haushaltsstreit")
    ArticleReadHour.objects.create(
        article=article,
        hour=datetime(2026, 3, 2, 9, tzinfo=UTC),
        views=4,
        referrers={"www.google.de": 2, "": 2},
    )
    ArticleReadHour.objects.create(
        article=article,
        hour=datetime(2026, 3, 2, 10, tzinfo=UTC),
        views=6,
        referrers={"www.google.de": 3, "": 1, "t.co": 2},
    )
    return article


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("chef", "chef@example.org", "pw")
    client.force_login(user)
    return client


def test_the_report_of_an_article(admin_client, article):
    response = admin_client.get(reverse("analytics_article_report", args=[article.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Haushaltsstreit" in page and "www.google.de" in page
    assert page.index("<td>www.google.de</td>") < page.index("<td>t.co</td>")


def test_the_csv_export(admin_client, article):
    response = admin_client.get(
        reverse("analytics_article_report", args=[article.pk]), {"export": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["kind", "hour", "referrer_host", "views"],
        ["hour", "2026-03-02T09:00:00+00:00", "", "4"],
        ["hour", "2026-03-02T10:00:00+00:00", "", "6"],
        ["referrer", "", "www.google.de", "5"],
        ["referrer", "", "", "3"],
        ["referrer", "", "t.co", "2"],
    ]


def test_the_week_list_links_to_the_reports(admin_client, article, settings):
    ArticleReadHour.objects.filter(views=6).update(hour=datetime.now(UTC))
    page = admin_client.get(reverse("analytics_report")).content.decode()
    assert reverse("analytics_article_report", args=[article.pk]) in page


def test_an_editor_who_may_not_edit_the_article_sees_no_report(client, article):
    user = get_user_model().objects.create_user("leser", "l@example.org", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get(reverse("analytics_article_report", args=[article.pk]))
    assert response.status_code in (302, 403)


def test_editors_exclude_an_article_as_a_snippet(admin_client, article):
    response = admin_client.post(
        reverse("wagtailsnippets_analytics_mostreadexclusion:add"),
        {"article": article.pk, "reason": "Nachruf"},
    )
    assert response.status_code == 302
    assert MostReadExclusion.objects.get().article_id == article.pk
