"""What crawlers read in the head of the pages the site serves."""

import json

import pytest

from .helpers import BRAND_NAME, ROOT_URL, make_article, parse_head


@pytest.fixture
def article(brand, politik, anna, nato):
    return make_article(
        politik,
        "Gipfel </script> in Brüssel",
        "gipfel",
        authors=[anna],
        topics=[nato],
        correction_note="Ein Datum war falsch.",
        updated_at=politik.last_published_at,
    )


def get_head(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return parse_head(response.content.decode())


def test_article_page_head(client, article):
    head = get_head(client, "/politik/gipfel/")

    assert head.canonical == [f"{ROOT_URL}/politik/gipfel/"]
    assert head.value("og:type") == "article"
    assert head.value("og:url") == f"{ROOT_URL}/politik/gipfel/"
    assert head.value("article:section") == "Politik"
    assert head.values("article:tag") == ["Nato"]
    documents = {doc["@type"]: doc for doc in map(json.loads, head.json_ld)}
    news_article = documents["NewsArticle"]
    assert news_article["headline"] == "Gipfel </script> in Brüssel"
    assert news_article["author"][0]["url"] == f"{ROOT_URL}/autor/anna-berg/"
    assert news_article["correction"]["text"] == "Ein Datum war falsch."
    assert news_article["publisher"]["name"] == BRAND_NAME
    assert "BreadcrumbList" in documents


def test_home_page_head(client, brand, article):
    head = get_head(client, "/")

    assert head.canonical == [f"{ROOT_URL}/"]
    assert {json.loads(doc)["@type"] for doc in head.json_ld} == {
        "NewsMediaOrganization",
        "WebSite",
    }


def test_ressort_listing_head_keeps_page_number(client, article):
    head = get_head(client, "/politik/?page=1")

    assert head.canonical == [f"{ROOT_URL}/politik/"]


def test_topic_page_head(client, article):
    head = get_head(client, "/thema/nato/")

    assert head.canonical == [f"{ROOT_URL}/thema/nato/"]
    assert head.value("og:title") == "Nato"
    assert head.json_ld == []


def test_author_page_head(client, article):
    head = get_head(client, "/autor/anna-berg/")

    assert head.canonical == [f"{ROOT_URL}/autor/anna-berg/"]
    assert head.value("og:title") == "Anna Berg"
    assert head.value("og:type") == "profile"
