"""Filters and facet counts, through the selector and the results page."""

from datetime import UTC, datetime, timedelta

import pytest

from redaktion.news.factories import AuthorFactory, TopicFactory
from redaktion.search import selectors
from redaktion.search.backends import Filters, base, postgres
from redaktion.search.services import search_rebuild

from .helpers import article, titles

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def archive(module_ressorts):
    anna = AuthorFactory(name="Anna Berger", slug="anna-berger")
    jonas = AuthorFactory(name="Jonas Keller", slug="jonas-keller")
    klima = TopicFactory(name="Klima", slug="klima")
    energie = TopicFactory(name="Energie", slug="energie")
    rows = [
        ("Politik", 10, [anna], [klima]),
        ("Politik", 400, [anna, jonas], [klima, energie]),
        ("Wirtschaft", 20, [jonas], [energie]),
        ("Wirtschaft", 800, [jonas], []),
        ("Sport", 30, [anna], []),
    ]
    for n, (ressort, days, authors, topics) in enumerate(rows):
        article(
            module_ressorts[ressort],
            title=f"Windkraft {n}",
            body="Windkraft im Norden.",
            days_ago=days,
            authors=authors,
            topics=topics,
            publish=False,
        )
    article(module_ressorts["Sport"], title="Fußball", body="Tore am Abend.", publish=False)
    search_rebuild()
    return {"anna": anna, "jonas": jonas, "klima": klima, "energie": energie}


def test_counts_per_ressort_year_topic_and_author(archive, module_ressorts):
    results = selectors.search(text="Windkraft", ressort_list=list(module_ressorts.values()))
    facets = results.facets
    assert results.total == 5
    assert facets.ressorts == {
        module_ressorts["Politik"].pk: 2,
        module_ressorts["Wirtschaft"].pk: 2,
        module_ressorts["Sport"].pk: 1,
    }
    assert sum(facets.years.values()) == 5
    assert facets.topics == {archive["klima"].pk: 2, archive["energie"].pk: 2}
    assert facets.authors == {archive["anna"].pk: 3, archive["jonas"].pk: 3}
    assert results.topics[archive["klima"].pk].name == "Klima"


def test_filters_narrow_results_and_counts(archive, module_ressorts):
    def run(**filters):
        return selectors.search(
            text="Windkraft",
            ressort_list=list(module_ressorts.values()),
            filters=Filters(**filters),
        )

    by_ressort = run(ressort_id=module_ressorts["Wirtschaft"].pk)
    assert by_ressort.total == 2
    assert by_ressort.facets.authors == {archive["jonas"].pk: 2}
    assert run(topic_id=archive["energie"].pk).total == 2
    assert run(author_id=archive["anna"].pk).total == 3
    recent = run(published_from=datetime.now(UTC).replace(year=datetime.now(UTC).year - 1))
    assert recent.total == 3
    assert sorted(titles(run(published_before=recent_cut()))) == ["Windkraft 3"]


def recent_cut():
    return datetime.now(UTC) - timedelta(days=600)


def test_facet_counts_cover_the_newest_matches_beyond_the_cap(
    archive, module_ressorts, monkeypatch
):
    monkeypatch.setattr(base, "MATCH_CAP", 2)
    results = selectors.search(text="Windkraft", ressort_list=list(module_ressorts.values()))
    assert results.total == 5  # always exact
    assert sum(results.facets.ressorts.values()) == 2  # the two newest
    assert results.facets.ressorts == {
        module_ressorts["Politik"].pk: 1,
        module_ressorts["Wirtschaft"].pk: 1,
    }


def test_results_page_links_filters_with_counts(archive, client):
    response = client.get("/suche/", {"q": "Windkraft"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "5 Artikel gefunden" in html
    count = '<span class="search-facet__count">(2)</span>'
    assert f'href="/suche/?q=Windkraft&amp;ressort=politik">Politik {count}' in html
    assert f'href="/suche/?q=Windkraft&amp;thema=klima">Klima {count}' in html
    assert 'href="/suche/?q=Windkraft&amp;autor=anna-berger">Anna Berger' in html

    filtered = client.get("/suche/", {"q": "Windkraft", "autor": "jonas-keller"})
    html = filtered.content.decode()
    assert "3 Artikel gefunden" in html
    assert 'href="/suche/?q=Windkraft">Autor: Jonas Keller' in html


def test_date_range_from_the_form(archive, client):
    until = (datetime.now(UTC) - timedelta(days=600)).date().isoformat()
    response = client.get("/suche/", {"q": "Windkraft", "bis": until})
    assert "1 Artikel gefunden" in response.content.decode()
    since = (datetime.now(UTC) - timedelta(days=100)).date().isoformat()
    response = client.get("/suche/", {"q": "Windkraft", "von": since})
    assert "3 Artikel gefunden" in response.content.decode()


@pytest.mark.postgres
def test_relevance_ranks_the_newest_matches_beyond_the_rank_cap(
    archive, module_ressorts, monkeypatch
):
    monkeypatch.setattr(postgres, "RANK_CAP", 2)
    results = selectors.search(text="Windkraft", ressort_list=list(module_ressorts.values()))
    assert results.total == 5  # always exact
    newest = selectors.search(
        text="Windkraft", order="date", ressort_list=list(module_ressorts.values())
    )
    assert sorted(titles(results)) == sorted(titles(newest)[:2])


def test_results_page_says_when_counts_cover_only_the_newest(archive, client, monkeypatch):
    note = "Gezählt unter den neuesten"
    assert note not in client.get("/suche/", {"q": "Windkraft"}).content.decode()
    monkeypatch.setattr(base, "MATCH_CAP", 2)
    html = client.get("/suche/", {"q": "Windkraft", "seite": "1"}).content.decode()
    assert f"{note} 2 Treffern." in html
