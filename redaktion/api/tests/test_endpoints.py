"""Every endpoint: its answer against its schema, pinned queries, and nothing but published,
public content (drafts, scheduled, not yet published, unpublished and restricted articles,
restricted Ressorts, and topics and authors of those alone never appear)."""

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from redaktion.analytics.models import ArticleReadHour
from redaktion.api import schemas
from redaktion.related.models import RelatedPick

pytestmark = pytest.mark.django_db

API = "/api/v1/"


def get(client, path, **params):
    response = client.get(API + path, params)
    assert response["Content-Type"] == "application/json"
    return response


def ids(data) -> set[int]:
    return {item["id"] for item in data["items"]}


def test_article_list(client, newsroom, visible, django_assert_num_queries):
    # Ressorts, view restrictions, articles, topics, bylines (no lead images here).
    with django_assert_num_queries(5):
        response = get(client, "articles/")
    assert response.status_code == 200
    data = schemas.ArticleList.model_validate(response.json())
    assert [item.title for item in data.items] == ["Neuer Artikel", "Älterer Artikel"]
    older = data.items[1]
    assert older.ressort.slug == "politik"
    assert [topic.slug for topic in older.topics] == ["wahl"]
    assert [author.slug for author in older.authors] == ["anna"]
    assert older.url.endswith("/politik/" + newsroom["older"].slug + "/")
    assert data.next is None


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"ressort": "politik"}, ["Neuer Artikel", "Älterer Artikel"]),
        ({"topic": "wahl"}, ["Neuer Artikel", "Älterer Artikel"]),
        ({"author": "anna"}, ["Älterer Artikel"]),
        ({"topic": "geheim"}, []),
        ({"published_before": "REPLACE"}, ["Älterer Artikel"]),
        ({"published_from": "REPLACE"}, ["Neuer Artikel"]),
    ],
)
def test_article_list_filters(client, newsroom, params, titles):
    if "REPLACE" in params.values():
        boundary = newsroom["newer"].first_published_at.isoformat()
        params = dict.fromkeys(params, boundary)
    response = get(client, "articles/", **params)
    assert [item["title"] for item in response.json()["items"]] == titles


@pytest.mark.parametrize(
    "params", [{"ressort": "intern"}, {"ressort": "gibts-nicht"}, {"author": "x"}, {"cursor": "!"}]
)
def test_unknown_filters_are_a_400(client, newsroom, params):
    response = get(client, "articles/", **params)
    assert response.status_code == 400
    assert schemas.Error.model_validate(response.json()).detail.startswith(next(iter(params)))


def test_cursor_pagination_walks_the_whole_list_once(client, newsroom, visible):
    seen, cursor = [], None
    for _ in range(3):
        params = {"limit": 1, **({"cursor": cursor} if cursor else {})}
        data = get(client, "articles/", **params).json()
        seen += [item["id"] for item in data["items"]]
        cursor = data["next"]
        if cursor is None:
            break
    assert seen == [newsroom["newer"].pk, newsroom["older"].pk]


def test_article_detail(client, newsroom, django_assert_num_queries):
    article = newsroom["older"]
    # View restrictions, the article, topics, bylines, its Ressort, the key-set check.
    with django_assert_num_queries(6):
        response = get(client, f"articles/{article.pk}/")
    data = schemas.ArticleDetail.model_validate(response.json())
    assert data.title == "Älterer Artikel"
    assert [block.type for block in data.body] == ["paragraph"] * len(article.body)
    assert data.body[0].value in data.body_html
    assert f"article-{article.pk}" in response["Surrogate-Key"].split()


def test_related(client, newsroom, django_assert_num_queries):
    article = newsroom["older"]
    for name in ("restricted", "newer", "draft"):
        RelatedPick.objects.create(page=article, article=newsroom[name])
    # The article (restrictions, page, topics, bylines), then related_for's picks, blocks,
    # stored suggestions, the pages and the recency setting.
    with django_assert_num_queries(9):
        response = get(client, f"articles/{article.pk}/related/")
    data = schemas.RelatedList.model_validate(response.json())
    assert [item.id for item in data.items] == [newsroom["newer"].pk]


def test_ressorts(client, newsroom, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = get(client, "ressorts/")
    data = schemas.RessortList.model_validate(response.json())
    assert [item.slug for item in data.items] == ["politik"]


def test_topics(client, newsroom, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = get(client, "topics/")
    data = schemas.TopicList.model_validate(response.json())
    assert [(item.slug, item.articles) for item in data.items] == [("wahl", 2)]


def test_authors(client, newsroom, django_assert_num_queries):
    with django_assert_num_queries(3):
        response = get(client, "authors/")
    data = schemas.AuthorList.model_validate(response.json())
    names = {item.slug: item.articles for item in data.items}
    assert names["anna"] == 1 and "nur-entwurf" not in names


def test_most_read(client, newsroom, visible, hidden, django_assert_num_queries):
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    for name in ("older", "newer", "draft", "future", "unpublished", "restricted"):
        views = 10 if name == "older" else 5
        ArticleReadHour.objects.create(article=newsroom[name], hour=hour, views=views)
    with django_assert_num_queries(3):
        response = get(client, "most-read/")
    data = schemas.MostReadList.model_validate(response.json())
    assert [(item.id, item.views) for item in data.items] == [
        (newsroom["older"].pk, 10),
        (newsroom["newer"].pk, 5),
    ]
    assert get(client, "most-read/", days=7).json()["hours"] == 7 * 24
    assert get(client, "most-read/", days=8).status_code == 400


@pytest.mark.parametrize(
    "name", ["draft", "future", "scheduled", "unpublished", "restricted", "under_restricted"]
)
def test_hidden_articles_are_never_found(client, newsroom, name):
    pk = newsroom[name].pk
    assert get(client, f"articles/{pk}/").status_code == 404
    assert get(client, f"articles/{pk}/related/").status_code == 404
    assert pk not in ids(get(client, "articles/", limit=100).json())
    assert pk not in ids(get(client, "articles/", topic="geheim").json())


def test_published_at_is_iso_8601(client, newsroom):
    item = get(client, "articles/").json()["items"][0]
    parsed = datetime.fromisoformat(item["first_published_at"].replace("Z", "+00:00"))
    assert parsed.tzinfo is not None and parsed.astimezone(UTC) <= timezone.now()
