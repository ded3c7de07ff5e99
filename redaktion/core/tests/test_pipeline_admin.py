"""The publish pipeline in the admin: the dashboard panel and /admin/pipeline/ for the Chef
vom Dienst and superusers, a failed step shown with its error, retried with a POST."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import F
from django.test import Client
from django.urls import reverse
from wagtail.users.models import UserProfile

from redaktion.core import outbox
from redaktion.core.models import OutboxEntry
from redaktion.core.views import PipelinePanel

pytestmark = pytest.mark.django_db

TOPIC = "test"
PANEL = 'id="core-pipeline-section"'


def make_user(username, *groups, superuser=False):
    user = get_user_model().objects.create_user(
        username=username, password="x", is_superuser=superuser, is_staff=superuser
    )
    user.groups.add(*Group.objects.filter(name__in=groups))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def failing(monkeypatch):
    """Topic ``test`` with a derived step that fails until ``failing["fixed"]`` is set,
    then a purge step; the registry is restored after the test."""
    monkeypatch.setattr(outbox, "_steps", dict(outbox._steps))
    state = {"fixed": False, "runs": 0}

    def index(payload):
        state["runs"] += 1
        if not state["fixed"]:
            raise ConnectionError("Suchindex nicht erreichbar")

    outbox.register_step(TOPIC, "test.index", index, outbox.DERIVED)
    outbox.register_step(TOPIC, "test.purge", lambda payload: None, outbox.PURGE)
    return state


def fail_for_good():
    """Drains until the failing step has used up its attempts."""
    outbox.outbox_record(TOPIC, "article-5", {}, nudge=False)
    for _ in range(outbox.MAX_ATTEMPTS):
        OutboxEntry.objects.filter(state="pending").update(available_at=F("created_at"))
        outbox.outbox_drain()
    return OutboxEntry.objects.get(step="test.index")


def test_a_step_that_keeps_failing_is_retried_then_shown_failed_on_the_dashboard(client, failing):
    entry = fail_for_good()
    assert failing["runs"] == outbox.MAX_ATTEMPTS
    assert (entry.state, entry.attempts) == ("failed", outbox.MAX_ATTEMPTS)
    client.force_login(make_user("cvd", "Chef vom Dienst"))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert PANEL in html
    assert "1 step of the publish pipeline failed" in html
    assert '<dd data-pipeline="failed">1</dd>' in html
    assert "Suchindex nicht erreichbar" in html
    page = client.get(reverse("core_pipeline")).content.decode()
    assert "test.index" in page and "article-5" in page
    assert f'name="entries" value="{entry.pk}"' in page


def test_retry_from_the_pipeline_page_runs_the_step_again(client, failing, run_tasks):
    entry = fail_for_good()
    failing["fixed"] = True
    client.force_login(make_user("admin", superuser=True))
    with run_tasks():
        response = client.post(reverse("core_pipeline"), {"entries": [entry.pk]})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.state == "done"
    html = client.get(reverse("core_pipeline")).content.decode()
    assert "1 entry will be retried." in html
    assert "No step has failed." in html


def test_retry_needs_a_failed_entry_and_a_csrf_token(client, failing):
    entry = fail_for_good()
    admin = make_user("admin", superuser=True)
    client.force_login(admin)
    response = client.post(reverse("core_pipeline"), {})
    assert response.status_code == 400
    assert "Choose the entries to retry." in response.content.decode()
    done = OutboxEntry.objects.get(step="test.purge")
    assert done.state == "done"
    response = client.post(reverse("core_pipeline"), {"entries": [done.pk]})
    assert response.status_code == 400
    assert OutboxEntry.objects.get(pk=done.pk).state == "done"

    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(admin)
    assert guarded.post(reverse("core_pipeline"), {"all_failed": "on"}).status_code == 403
    assert OutboxEntry.objects.get(pk=entry.pk).state == "failed"


def test_only_the_chef_vom_dienst_and_superusers_see_the_pipeline(client, failing):
    fail_for_good()
    for username, groups, allowed in (
        ("autor", ("Autor",), False),
        ("redakteur", ("Redakteur",), False),
        ("cvd", ("Chef vom Dienst",), True),
    ):
        client.force_login(make_user(username, *groups))
        assert (PANEL in client.get(reverse("wagtailadmin_home")).content.decode()) is allowed
        # Wagtail answers a refusal in the admin with a redirect to the dashboard.
        page = client.get(reverse("core_pipeline"))
        assert (page.status_code, page.get("Location")) == (
            (200, None) if allowed else (302, reverse("wagtailadmin_home"))
        )
        client.post(reverse("core_pipeline"), {"all_failed": "on"})
        assert OutboxEntry.objects.get(step="test.index").state == (
            "pending" if allowed else "failed"
        )


def test_the_panel_reads_the_state_in_four_queries(failing, django_assert_num_queries, rf):
    fail_for_good()
    request = rf.get("/admin/")
    request.user = make_user("admin", superuser=True)
    with django_assert_num_queries(4):
        html = PipelinePanel().render_html({"request": request})
    assert '<dd data-pipeline="backlog">0</dd>' in html
