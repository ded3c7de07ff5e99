"""Renamed and moved articles keep their old URLs: Wagtail's automatic redirects answer 301."""

import pytest
from django.core.management import call_command
from wagtail.contrib.redirects.models import Redirect

from redaktion.syndication.checks import check_redirects

from .helpers import make_article


@pytest.fixture
def article(brand, politik, anna):
    return make_article(politik, "Gipfel", "gipfel", authors=[anna])


def test_renaming_an_article_redirects_its_old_url(
    client, article, django_capture_on_commit_callbacks
):
    article.slug = "gipfel-in-bruessel"
    # Wagtail announces the slug change once the publishing transaction has committed.
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()

    response = client.get("/politik/gipfel/")

    assert response.status_code == 301
    assert response["Location"] == "/politik/gipfel-in-bruessel/"
    redirect = Redirect.objects.get(old_path="/politik/gipfel")
    assert redirect.automatically_created
    assert redirect.redirect_page_id == article.pk


def test_moving_an_article_to_another_ressort_redirects_its_old_url(
    client, article, wirtschaft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article.move(wirtschaft, pos="last-child")

    response = client.get("/politik/gipfel/")

    assert response.status_code == 301
    assert response["Location"] == "/wirtschaft/gipfel/"


def test_no_redirect_when_auto_creation_is_off(
    client, settings, article, django_capture_on_commit_callbacks
):
    settings.WAGTAILREDIRECTS_AUTO_CREATE = False
    article.slug = "neu"
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()

    assert client.get("/politik/gipfel/").status_code == 404


def test_settings_keep_redirects_on(settings):
    assert settings.WAGTAILREDIRECTS_AUTO_CREATE is True
    assert check_redirects(None) == []


def test_check_warns_when_redirects_are_switched_off(settings):
    settings.WAGTAILREDIRECTS_AUTO_CREATE = False
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if not m.endswith("redirects.middleware.RedirectMiddleware")
    ]

    assert [warning.id for warning in check_redirects(None)] == [
        "syndication.W002",
        "syndication.W003",
    ]


def test_check_runs_with_manage_py_check(settings, capsys):
    settings.WAGTAILREDIRECTS_AUTO_CREATE = False

    call_command("check")

    assert "syndication.W002" in capsys.readouterr().err
