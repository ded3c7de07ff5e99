"""Headers every answer carries: Content-Security-Policy (strict on the reader site, with the
admin's additions under /admin/, report-only by a switch), Permissions-Policy; the ad tag
frame's own policy; and server errors logged with their traceback."""

import base64
import hashlib
import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from redaktion.ads.factories import CampaignFactory, CreativeFactory
from redaktion.core.scripts import LOADER_HASH
from redaktion.desk.tests.helpers import make_user

REDAKTION = str(Path(sys.executable).with_name("redaktion"))

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    parts = [part.strip().split() for part in header.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


def test_the_reader_site_gets_a_strict_policy_and_a_permissions_policy(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    # The site's own scripts, and one inline script by its hash: the loader in the page.
    assert policy["script-src"] == ["'self'", LOADER_HASH]
    loader = re.search(r"<script>(.*?)</script>", response.content.decode(), re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(loader.encode()).digest()).decode()
    assert f"'sha256-{digest}'" == LOADER_HASH
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_the_admin_gets_the_additions_it_needs(client, home_page):
    client.force_login(make_user("chefin", superuser=True))
    response = client.get("/admin/")
    policy = directives(response["Content-Security-Policy"])
    # Without the reader site's hash, which would make browsers ignore 'unsafe-inline'.
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-inline'" in policy["style-src"]
    assert policy["frame-ancestors"] == ["'self'"]


def test_a_third_party_tag_gets_a_sandboxed_policy_of_its_own(client):
    creative = CreativeFactory(
        campaign=CampaignFactory(), kind="tag", tag_html="<script>1</script>"
    )
    response = client.get(f"/anzeigen/rahmen/{creative.pk}/")
    assert response.status_code == 200
    assert "<script>1</script>" in response.content.decode()
    policy = directives(response["Content-Security-Policy"])
    assert policy["sandbox"] == ["allow-scripts", "allow-popups", "allow-popups-to-escape-sandbox"]
    assert "'unsafe-inline'" in policy["script-src"]
    assert client.get("/anzeigen/rahmen/999999/").status_code == 404


@pytest.fixture
def reload_base(monkeypatch):
    """The settings module read again under changed environment variables."""
    from redaktion.settings import base

    def reload(**variables):
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        return importlib.reload(base)

    yield reload
    monkeypatch.undo()
    importlib.reload(base)


def test_csp_report_only_switch(reload_base):
    enforced = reload_base()
    script_src = enforced.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"]
    assert script_src == ["'self'", LOADER_HASH]
    assert enforced.CONTENT_SECURITY_POLICY_REPORT_ONLY is None
    reporting = reload_base(CSP_REPORT_ONLY="true", CSP_REPORT_URI="/csp-bericht/")
    assert reporting.CONTENT_SECURITY_POLICY_REPORT_ONLY["DIRECTIVES"]["report-uri"] == [
        "/csp-bericht/"
    ]
    assert reporting.CONTENT_SECURITY_POLICY is None


def test_admins_come_from_the_environment(reload_base):
    settings = reload_base(ADMINS="ops@example.org, chef@example.org")
    assert settings.ADMINS == [
        ("ops@example.org", "ops@example.org"),
        ("chef@example.org", "chef@example.org"),
    ]


def test_a_server_error_reaches_the_log_with_its_traceback(tmp_path):
    code = (
        "from django.conf import settings; "
        "settings.ROOT_URLCONF = 'redaktion.core.tests.failing_urls'; "
        "from django.test import Client; "
        "print(Client(raise_request_exception=False).get('/kaputt/', "
        "HTTP_HOST='localhost').status_code)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="redaktion.settings.dev",
        REDAKTION_VAR_DIR=str(tmp_path),
        DEBUG="false",
    )
    result = subprocess.run(
        [REDAKTION, "shell", "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.splitlines()[-1] == "500"
    # With the request's id, as every line of a request.
    assert re.search(
        r"ERROR django\.request \[[0-9a-f]{32}\]: Internal Server Error: /kaputt/", result.stderr
    )
    assert "Traceback" in result.stderr
    assert "RuntimeError: Absichtlich kaputt" in result.stderr
