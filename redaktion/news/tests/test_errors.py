"""404 and 500 pages in the site's design; the 500 page needs neither request nor database."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_404_uses_the_design(client, brand, ressorts):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    assert '<span class="brand__name">Deutsche Wirtschafts Nachrichten</span>' in html
    assert '<a href="/politik/">Politik</a>' in html
    assert '<h1 class="page-title">Seite nicht gefunden</h1>' in html
    assert '<a class="button" href="/">Zur Startseite</a>' in html


def test_500_renders_without_request_context_or_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="de">' in html
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    assert '<h1 class="page-title">Etwas ist schiefgelaufen</h1>' in html
