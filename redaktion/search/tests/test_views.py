"""The results page and the suggestions endpoint as readers get them."""

import json

import pytest
from django.core.cache import caches
from django.test import RequestFactory
from django.utils.html import escape
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from redaktion.core.middleware import page_cache_key
from redaktion.news.models import RessortPage
from redaktion.search.forms import MAX_QUERY_LENGTH, SearchForm

from .helpers import indexed

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def vulkane(module_ressorts):
    return indexed(
        module_ressorts["Politik"],
        *[{"title": f"Vulkan Nummer {n} bricht aus", "days_ago": n + 1} for n in range(25)],
        lead="Der Vulkan & die Asche.",
        body="Asche über dem Land.",
    )


def test_results_page_shows_teasers_with_marked_words(vulkane, client):
    response = client.get("/suche/", {"q": "Vulkane"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "25 Artikel gefunden" in html
    assert "<mark>Vulkan</mark> Nummer 0 bricht aus</a>" in html
    assert "Der <mark>Vulkan</mark> &amp; die Asche." in html
    assert 'class="teaser__ressort" href="/politik/">Politik</a>' in html
    assert '<meta name="robots" content="noindex, follow">' in html
    assert html.count('<article class="teaser') == 20


def test_pagination_keeps_the_query(vulkane, client):
    html = client.get("/suche/", {"q": "Vulkan", "sort": "datum"}).content.decode()
    assert 'href="/suche/?q=Vulkan&amp;sort=datum&amp;page=2"' in html
    second = client.get("/suche/", {"q": "Vulkan", "sort": "datum", "page": 2}).content.decode()
    assert second.count('<article class="teaser') == 5
    assert "Vulkan</mark> Nummer 24" in second
    assert 'rel="prev" href="/suche/?q=Vulkan&amp;sort=datum"' in second


@pytest.mark.parametrize("page", ["3", "0", "zwei"])
def test_pages_out_of_range_are_not_found(vulkane, client, page):
    assert client.get("/suche/", {"q": "Vulkan", "page": page}).status_code == 404


def test_help_when_nothing_is_found(vulkane, client):
    html = client.get("/suche/", {"q": "Tsunami"}).content.decode()
    assert "0 Artikel gefunden" in html
    assert "Zu „Tsunami“ wurde nichts gefunden." in html
    assert "Anführungszeichen" in html


def test_empty_query_shows_the_form(client, home_page):
    response = client.get("/suche/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Das Archiv durchsuchen" in html
    assert 'role="search"' in html
    assert "Artikel gefunden" not in html


def test_every_page_has_the_search_box(client, module_ressorts):
    html = client.get("/").content.decode()
    assert 'action="/suche/"' in html
    assert 'id="site-search-q"' in html
    assert "search/search.js" in html


def test_cache_control_is_public_but_not_in_the_page_cache(vulkane, client):
    response = client.get("/suche/", {"q": "Vulkan"})
    assert response["Cache-Control"] == "public, max-age=60, s-maxage=60"
    request = RequestFactory().get("/suche/", {"q": "Vulkan"})
    assert caches["default"].get(page_cache_key(request)) is None


def test_suggestions_complete_the_last_word_in_headlines(vulkane, module_ressorts, client):
    # Under a copy of the shared Ressort: adding a child changes the parent in memory.
    indexed(RessortPage.objects.get(pk=module_ressorts["Sport"].pk), ("Münchner Sieg", "Tore."))
    response = client.get("/suche/vorschlaege/", {"q": "Vulk"})
    data = json.loads(response.content)
    assert response["Cache-Control"] == "public, max-age=300, s-maxage=300"
    assert data["query"] == "Vulk"
    assert len(data["suggestions"]) == 8
    assert data["suggestions"][0] == {
        "title": "Vulkan Nummer 0 bricht aus",
        "url": vulkane[0].url,
    }
    umlaut = json.loads(client.get("/suche/vorschlaege/", {"q": "münch"}).content)
    assert [s["title"] for s in umlaut["suggestions"]] == ["Münchner Sieg"]
    assert json.loads(client.get("/suche/vorschlaege/", {"q": "V"}).content)["suggestions"] == []
    # Only headlines are completed: "Asche" is in every body.
    assert json.loads(client.get("/suche/vorschlaege/", {"q": "Asch"}).content)["suggestions"] == []


def test_promotions_come_first_and_are_not_repeated(vulkane, client):
    query = Query.objects.create(query_string="vulkan")
    promoted = vulkane[10]
    SearchPromotion.objects.create(
        query=query, page=promoted, description="Alles zum Ausbruch", sort_order=0
    )
    SearchPromotion.objects.create(
        query=query,
        external_link_url="https://example.org/vulkane",
        external_link_text="Vulkan-Dossier",
        sort_order=1,
    )
    html = client.get("/suche/", {"q": "  Vulkan "}).content.decode()
    assert "Empfehlung der Redaktion" in html
    assert f'<a class="search-promotion__link" href="{promoted.url}">{promoted.title}</a>' in html
    assert "Alles zum Ausbruch" in html
    assert 'href="https://example.org/vulkane">Vulkan-Dossier</a>' in html
    assert html.index("search-promotion__link") < html.index('<article class="teaser')
    assert html.count(f'href="{promoted.url}"') == 1
    assert "24 Artikel gefunden" in html
    assert "Empfehlung der Redaktion" not in client.get("/suche/", {"q": "Asche"}).content.decode()


def notice(field, code="invalid_choice", **params):
    """What the page says about a value of ``field`` it left out, in the site's language."""
    message = str(SearchForm.base_fields[field].error_messages[code])
    return message % params if params else message


@pytest.mark.parametrize(
    ("param", "value", "code"),
    [
        ("thema", "gibt-es-nicht", "invalid_choice"),
        ("autor", "niemand", "invalid_choice"),
        ("ressort", "feuilleton", "invalid_choice"),
        ("sort", "zufall", "invalid_choice"),
        ("von", "gestern", "invalid"),
        ("von", "0001-01-01", "invalid"),
        ("bis", "9999-12-31", "invalid"),
    ],
)
def test_a_value_that_is_not_valid_is_left_out_and_the_page_says_so(
    vulkane, client, param, value, code
):
    response = client.get("/suche/", {"q": "Vulkan", param: value})
    html = response.content.decode()
    assert response.status_code == 200
    assert escape(notice(param, code)) in html
    assert "25 Artikel gefunden" in html
    # No link of the page carries the value on, the date form neither.
    assert f"{param}={value}" not in html
    assert '<input type="hidden" name="q" value="Vulkan">' in html
    assert f'name="{param}" value="{value}"' not in html


def test_an_over_long_query_is_not_searched_and_the_page_says_why(vulkane, client):
    response = client.get("/suche/", {"q": "Vulkan " * 30})
    html = response.content.decode()
    assert response.status_code == 200
    assert escape(notice("q", "max_length", limit_value=MAX_QUERY_LENGTH)) in html
    assert "Artikel gefunden" not in html
    # As long as the search box allows, the query is searched.
    longest = client.get("/suche/", {"q": "Vulkan".ljust(MAX_QUERY_LENGTH, "!")})
    assert "25 Artikel gefunden" in longest.content.decode()


def test_characters_the_database_refuses_get_an_answer(vulkane, client):
    query = client.get("/suche/", {"q": "Vul\x00kan"})
    assert query.status_code == 200
    assert "Artikel gefunden" not in query.content.decode()
    topic = client.get("/suche/", {"q": "Vulkan", "thema": "kli\x00ma"})
    assert escape(notice("thema")) in topic.content.decode()
    assert client.get("/suche/vorschlaege/", {"q": "Vul\x00"}).status_code == 400


def test_suggestions_answer_an_over_long_query_with_400(client, home_page):
    response = client.get("/suche/vorschlaege/", {"q": "x" * (MAX_QUERY_LENGTH + 1)})
    assert response.status_code == 400
    assert json.loads(response.content) == {
        "errors": [notice("q", "max_length", limit_value=MAX_QUERY_LENGTH)]
    }
