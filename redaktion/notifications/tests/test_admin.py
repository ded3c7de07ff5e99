"""The editors' breaking-news resend in the Wagtail admin."""

import pytest

from redaktion.desk.services import CHEF_VOM_DIENST, REDAKTEUR
from redaktion.desk.tests.helpers import make_user
from redaktion.notifications.models import Delivery

from .helpers import subscriber

pytestmark = pytest.mark.django_db


def test_breaking_resend_from_the_admin(client, newsroom, publish, run_tasks, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    subscriber("eil@example.org", newsroom["syrien"], rhythm="daily")
    article = publish(title="Erdbeben")
    editor = make_user("cvd", CHEF_VOM_DIENST)  # the desk's setup grants the CvD the resend
    client.force_login(editor)
    url = f"/admin/notifications/breaking/{article.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Send as breaking news" in page.content.decode()
    edit = client.get(f"/admin/pages/{article.pk}/edit/")
    assert url in edit.content.decode()  # the header button
    with run_tasks():
        response = client.post(url)
    assert response.status_code == 302
    delivery = Delivery.objects.get(reason="breaking")
    assert (delivery.status, delivery.digest) == ("sent", False)
    assert Delivery.objects.get(reason="new").status == "pending"  # still in the digest


def test_breaking_needs_the_permission(client, newsroom, publish, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    article = publish(title="Ohne Recht")
    editor = make_user("redakteur", REDAKTEUR)  # edits articles, may not resend them
    client.force_login(editor)
    response = client.post(f"/admin/notifications/breaking/{article.pk}/")
    # Wagtail answers a PermissionDenied in the admin with a redirect to the dashboard.
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    edit = client.get(f"/admin/pages/{article.pk}/edit/")
    assert edit.status_code == 200
    assert "/admin/notifications/breaking/" not in edit.content.decode()
    assert not Delivery.objects.exists()
