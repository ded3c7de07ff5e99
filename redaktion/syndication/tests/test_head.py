"""The head include: title, description, canonical URL, Open Graph and Twitter cards."""

import json
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.template import Context, RequestContext, Template
from django.template.loader import render_to_string
from django.utils import translation

from redaktion.news.models import ArticlePage, StandardPage

from .helpers import BRAND_NAME, ROOT_URL, make_article, make_image, parse_head

PUBLISHED = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
UPDATED = datetime(2026, 3, 10, 15, 30, tzinfo=UTC)
LONG_LEAD = (
    "Die Regierungschefs der Nato-Staaten haben sich in Brüssel auf ein gemeinsames Vorgehen "
    "geeinigt. Über die Einzelheiten wollen die Außenminister in der kommenden Woche beraten, "
    "sagte ein Sprecher."
)


def documents(head) -> dict[str, dict]:
    return {document["@type"]: document for document in map(json.loads, head.json_ld)}


# How base.html uses the tags: the title in its title block, the rest in its seo block.
HEAD = Template(
    '{% load syndication_tags %}<title>{% seo_title %}</title>{% include "syndication/head.html" %}'
)


def render_head(request, **context):
    return parse_head(HEAD.render(RequestContext(request, context)))


def routed_request(rf, home_page, path):
    """A request that went through the home page's routing, as Wagtail serves it."""
    request = rf.get(path)
    home_page.route(request, [part for part in path.split("?")[0].split("/") if part])
    return request


@pytest.fixture
def article(brand, politik, anna, nato, ukraine):
    with time_machine.travel(PUBLISHED, tick=False):
        return make_article(
            politik,
            "Gipfel in Brüssel",
            "gipfel",
            lead=LONG_LEAD,
            authors=[anna],
            topics=[nato, ukraine],
            lead_image=make_image("Gipfelfoto", 1600, 1000),
            lead_image_caption="Vor dem Ratsgebäude",
            updated_at=UPDATED,
        )


def test_article_head(rf, article):
    head = render_head(rf.get(article.url), page=article)
    url = f"{ROOT_URL}/politik/gipfel/"

    assert head.title == f"Gipfel in Brüssel – {BRAND_NAME}"
    assert head.canonical == [url]
    description = head.value("description")
    assert description.startswith("Die Regierungschefs der Nato-Staaten")
    assert description.endswith("...")
    assert len(description) <= 163
    assert head.value("og:type") == "article"
    assert head.value("og:title") == "Gipfel in Brüssel"
    assert head.value("og:description") == description
    assert head.value("og:url") == url
    assert head.value("og:site_name") == BRAND_NAME
    assert head.value("og:locale") == "de_DE"
    assert head.value("og:image").startswith(f"{ROOT_URL}/media/images/")
    assert head.value("og:image:width") == "1200"
    assert head.value("og:image:height") == "675"
    assert head.value("og:image:alt") == "Vor dem Ratsgebäude"
    assert head.value("article:published_time") == "2026-03-10T11:00:00+01:00"
    assert head.value("article:modified_time") == "2026-03-10T16:30:00+01:00"
    assert head.value("article:section") == "Politik"
    assert head.values("article:tag") == ["Nato", "Ukraine"]
    assert head.values("article:author") == [f"{ROOT_URL}/autor/anna-berg/"]
    assert head.value("twitter:card") == "summary_large_image"


def test_seo_title_replaces_the_headline_in_title_and_og_title(rf, brand, politik, anna):
    article = make_article(
        politik, "Gipfel", "gipfel", authors=[anna], seo_title="Nato-Gipfel: Die Einigung"
    )

    head = render_head(rf.get(article.url), page=article)

    assert head.title == f"Nato-Gipfel: Die Einigung – {BRAND_NAME}"
    assert head.value("og:title") == "Nato-Gipfel: Die Einigung"


def test_article_without_lead_image_uses_the_logo_and_a_small_card(rf, brand, politik, anna):
    article = make_article(politik, "Ohne Bild", "ohne-bild", authors=[anna])

    head = render_head(rf.get(article.url), page=article)

    assert head.value("og:image").endswith(".png")
    assert head.value("og:image:width") == "400"
    assert head.value("twitter:card") == "summary"


def test_article_without_lead_image_shows_the_brands_share_image(rf, brand, politik, anna):
    brand.share_image = make_image("Markenbild", 1600, 900)
    brand.save()
    article = make_article(politik, "Ohne Bild", "ohne-bild", authors=[anna])

    head = render_head(rf.get(article.url), page=article)

    assert head.value("og:image:width") == "1200"
    assert head.value("twitter:card") == "summary_large_image"
    news_article = documents(head)["NewsArticle"]
    assert len(news_article["image"]) == 3  # 16:9, 4:3 and 1:1, as for a lead image
    assert news_article["image"][0]["width"] == 1200


def test_a_share_image_narrower_than_1200_pixels_is_refused(brand):
    brand.share_image = make_image("Zu klein", 800, 450)
    with pytest.raises(ValidationError) as refused:
        brand.full_clean()
    assert "share_image" in refused.value.message_dict


def test_attribute_values_are_escaped(rf, brand, politik, anna):
    article = make_article(politik, 'Er sagt: "Nein" <b>', "nein", authors=[anna])

    html = render_to_string("syndication/head.html", {"page": article}, rf.get(article.url))

    assert "<b>" not in html
    assert parse_head(html).value("og:title") == 'Er sagt: "Nein" <b>'


def test_home_page_title_is_the_brand(rf, brand, home_page):
    brand.tagline = "Nachrichten aus der Region"
    brand.save()

    head = render_head(rf.get("/"), page=home_page)

    assert head.title == f"{BRAND_NAME} – Nachrichten aus der Region"
    assert head.canonical == [f"{ROOT_URL}/"]
    assert head.value("og:type") == "website"
    assert head.value("og:title") == BRAND_NAME
    assert head.value("description") == "Nachrichten aus der Region"


def test_paginated_listing_keeps_its_page_number_in_canonical(rf, brand, politik):
    with translation.override("en"):
        head = render_head(rf.get("/politik/?page=3&utm_source=feed"), page=politik)

    assert head.canonical == [f"{ROOT_URL}/politik/?page=3"]
    assert head.value("og:url") == f"{ROOT_URL}/politik/?page=3"
    assert head.title == f"Politik – Page 3 – {BRAND_NAME}"


@pytest.mark.parametrize("query", ["", "?page=1", "?page=abc", "?page=-2"])
def test_first_page_canonical_has_no_page_number(rf, brand, politik, query):
    head = render_head(rf.get(f"/politik/{query}"), page=politik)

    assert head.canonical == [f"{ROOT_URL}/politik/"]
    assert head.title == f"Politik – {BRAND_NAME}"


def test_ressort_description_is_its_description(rf, brand, politik):
    politik.description = "Nachrichten aus Berlin und der Welt."
    politik.save_revision().publish()
    politik.refresh_from_db()

    head = render_head(rf.get("/politik/"), page=politik)

    assert head.value("description") == "Nachrichten aus Berlin und der Welt."


def test_topic_route(rf, brand, home_page, nato):
    request = routed_request(rf, home_page, "/thema/nato/?page=2")

    with translation.override("en"):
        head = render_head(request, page=home_page, topic=nato)

    assert head.title == f"Nato – Page 2 – {BRAND_NAME}"
    assert head.canonical == [f"{ROOT_URL}/thema/nato/?page=2"]
    assert head.value("og:title") == "Nato"
    assert head.value("description") == "Das Bündnis."
    assert head.json_ld == []


def test_topic_route_without_description_says_what_it_lists(rf, brand, home_page, ukraine):
    request = routed_request(rf, home_page, "/thema/ukraine/")

    with translation.override("en"):
        head = render_head(request, page=home_page, topic=ukraine)

    assert head.value("description") == "News and background on Ukraine"
    assert head.canonical == [f"{ROOT_URL}/thema/ukraine/"]


def test_author_route_shows_the_portrait(rf, brand, home_page, anna):
    anna.portrait = make_image("Anna Berg", 800, 1000)
    anna.bio = "Anna Berg berichtet aus Brüssel."
    anna.save()
    request = routed_request(rf, home_page, "/autor/anna-berg/")

    head = render_head(request, page=home_page, author=anna)

    assert head.title == f"Anna Berg – {BRAND_NAME}"
    assert head.canonical == [f"{ROOT_URL}/autor/anna-berg/"]
    assert head.value("og:type") == "profile"
    assert head.value("description") == "Anna Berg berichtet aus Brüssel."
    assert head.value("og:image").endswith(".jpg")
    assert (head.value("og:image:width"), head.value("og:image:height")) == ("600", "600")


def test_archive_route(rf, brand, home_page):
    request = routed_request(rf, home_page, "/archiv/2026/3/")
    start = datetime(2026, 3, 1, tzinfo=UTC)

    with translation.override("en"):
        head = render_head(
            request, page=home_page, archive_start=start, archive_year=2026, archive_month=3
        )

    assert head.title == f"Archive: March 2026 – {BRAND_NAME}"
    assert head.canonical == [f"{ROOT_URL}/archiv/2026/3/"]
    assert head.json_ld == []


def test_view_without_page_uses_its_seo_title(rf, brand):
    head = render_head(rf.get("/suche/?q=nato"), seo_title="Suche")

    assert head.title == f"Suche – {BRAND_NAME}"
    assert head.canonical == []
    assert head.values("og:url") == []


def test_nothing_without_a_request(brand, politik):
    html = Template('{% include "syndication/head.html" %}').render(Context({"page": politik}))

    assert html.strip() == ""


def test_article_head_costs_a_fixed_number_of_queries(
    rf, django_assert_num_queries, brand, politik, anna, jonas, nato, ukraine
):
    image = make_image()
    few = make_article(politik, "Eins", "eins", authors=[anna], topics=[nato], lead_image=image)
    many = make_article(
        politik, "Zwei", "zwei", authors=[anna, jonas], topics=[nato, ukraine], lead_image=image
    )
    for article in (few, many):  # renditions are made once, on the first view
        render_head(rf.get(article.url), page=article)

    for article in (few, many):
        article = ArticlePage.objects.get(pk=article.pk)
        # site, brand, logo, ancestors, authors, topics, lead image; the renditions come
        # from Wagtail's rendition cache
        with django_assert_num_queries(7):
            render_head(rf.get(article.url), page=article)


def test_article_head_reuses_what_the_article_view_loaded(
    rf, django_assert_num_queries, brand, politik, anna, nato
):
    article = make_article(politik, "Eins", "eins", authors=[anna], topics=[nato])
    render_head(rf.get(article.url), page=article)
    article = ArticlePage.objects.get(pk=article.pk)

    article.ressort = politik

    with django_assert_num_queries(3):  # site, brand, logo
        head = render_head(rf.get(article.url), page=article, authors=[anna], topics=[nato])

    assert head.values("article:tag") == ["Nato"]
    assert head.values("article:author") == [f"{ROOT_URL}/autor/anna-berg/"]
    assert head.value("article:section") == "Politik"
    assert [item["name"] for item in documents(head)["BreadcrumbList"]["itemListElement"]] == [
        "Startseite",
        "Politik",
        "Eins",
    ]


def test_head_include_alone_has_no_title(rf, brand, politik):
    # base.html keeps its own <title> element; a second one would be invalid HTML.
    html = render_to_string("syndication/head.html", {"page": politik}, rf.get("/politik/"))

    assert "<title" not in html
    assert parse_head(html).canonical == [f"{ROOT_URL}/politik/"]


def test_article_ignores_a_page_parameter(rf, brand, politik, anna):
    article = make_article(politik, "Gipfel", "gipfel", authors=[anna])

    head = render_head(rf.get("/politik/gipfel/?page=2"), page=article)

    assert head.title == f"Gipfel – {BRAND_NAME}"
    assert head.canonical == [f"{ROOT_URL}/politik/gipfel/"]


def test_standard_page_description_is_its_text(rf, brand, home_page):
    impressum = home_page.add_child(
        instance=StandardPage(
            title="Impressum", slug="impressum", body="<p>Tagesblick GmbH,</p><p>Hamburg</p>"
        )
    )

    head = render_head(rf.get("/impressum/"), page=impressum)

    assert head.title == f"Impressum – {BRAND_NAME}"
    assert head.value("description") == "Tagesblick GmbH, Hamburg"
    assert head.canonical == [f"{ROOT_URL}/impressum/"]
