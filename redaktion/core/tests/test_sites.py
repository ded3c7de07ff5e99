"""Each process keeps the site, the brand and the sites' root paths of a host instead of
asking for them on every request; what it keeps goes when a site or the brand is saved (in
this process at once, in every other one through the generation), when the ``site`` key is
purged, and after the cache is flushed."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from redaktion.core import sites, surrogate
from redaktion.core.models import BrandSettings
from redaktion.news.factories import StandardPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fragments_without_page_cache")]


@pytest.fixture
def page(home_page):
    brand = BrandSettings.for_site(Site.objects.get(is_default_site=True))
    brand.name = "Rheinische Rundschau"
    brand.save()
    return StandardPageFactory(parent=home_page, title="Impressum", slug="impressum")


def brand_name(client, url: str) -> str:
    html = client.get(url).text
    return html.split('<span class="brand__name">')[1].split("</span>")[0]


def kept(client, url: str) -> None:
    """Three views: fragments built, read one by one, then read at once with the
    generation, when the site and the brand are read and kept."""
    for _ in range(3):
        assert client.get(url).status_code == 200


def other_process_renames_the_brand(name: str) -> None:
    """A save in another process: no signal here, only the new generation it sets."""
    BrandSettings.objects.update(name=name)


def test_a_kept_site_costs_no_query(client, page):
    kept(client, page.url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page.url).status_code == 200
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert "wagtailcore_site" not in tables and "core_brandsettings" not in tables


def test_a_brand_saved_here_shows_at_once(client, page, django_capture_on_commit_callbacks):
    kept(client, page.url)
    brand = BrandSettings.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        brand.name = "Neue Rundschau"
        brand.save()
    assert brand_name(client, page.url) == "Neue Rundschau"


def test_other_processes_follow_the_generation(client, page):
    kept(client, page.url)
    other_process_renames_the_brand("Neue Rundschau")
    assert brand_name(client, page.url) == "Rheinische Rundschau"
    sites._new_generation(replace=True)
    assert brand_name(client, page.url) == "Neue Rundschau"


def test_a_purge_of_the_site_key_reads_the_site_again(client, page):
    kept(client, page.url)
    other_process_renames_the_brand("Neue Rundschau")
    surrogate.purge([surrogate.SITE])
    assert brand_name(client, page.url) == "Neue Rundschau"


def test_nothing_kept_survives_a_flush(client, page):
    kept(client, page.url)
    other_process_renames_the_brand("Neue Rundschau")
    cache.clear()
    for _ in range(3):
        assert brand_name(client, page.url) == "Neue Rundschau"


def test_each_request_gets_its_own_copy(client, page):
    kept(client, page.url)
    client.get(page.url)
    (first,) = sites._kept.values()
    assert "specific" not in first.site.root_page.__dict__
    assert "_request" not in first.brand.__dict__
