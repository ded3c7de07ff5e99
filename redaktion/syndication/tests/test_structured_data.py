"""JSON-LD in the head: NewsArticle, BreadcrumbList, Organization and WebSite."""

import json
from datetime import UTC, datetime

import pytest
import time_machine
from django.template.loader import render_to_string

from redaktion.syndication.structured_data import json_ld_script

from .helpers import BRAND_NAME, ROOT_URL, make_article, make_image, parse_head

PUBLISHED = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
UPDATED = datetime(2026, 3, 10, 15, 30, tzinfo=UTC)


def render_head(rf, page, path=None, **context):
    request = rf.get(path or page.url)
    return render_to_string("syndication/head.html", {"page": page, **context}, request)


def documents(html) -> dict[str, dict]:
    parsed = [json.loads(text) for text in parse_head(html).json_ld]
    by_type = {document["@type"]: document for document in parsed}
    assert len(by_type) == len(parsed), "one document per type"
    return by_type


@pytest.fixture
def article(brand, politik, anna, jonas, nato, ukraine):
    with time_machine.travel(PUBLISHED, tick=False):
        return make_article(
            politik,
            "Gipfel in Brüssel",
            "gipfel-in-bruessel",
            lead="Die Regierungschefs einigen sich. Die Details folgen.",
            authors=[anna, jonas],
            topics=[nato, ukraine],
            lead_image=make_image("Gipfelfoto", 1600, 1000),
            lead_image_caption="Die Regierungschefs vor dem Ratsgebäude",
            updated_at=UPDATED,
            correction_note="In einer früheren Fassung stand ein falsches Datum.",
        )


def test_news_article_fields(rf, article):
    data = documents(render_head(rf, article))["NewsArticle"]
    canonical = f"{ROOT_URL}/politik/gipfel-in-bruessel/"

    assert data["@context"] == "https://schema.org"
    assert data["headline"] == "Gipfel in Brüssel"
    assert data["description"] == "Die Regierungschefs einigen sich. Die Details folgen."
    assert data["datePublished"] == "2026-03-10T11:00:00+01:00"
    assert data["dateModified"] == "2026-03-10T16:30:00+01:00"
    assert data["url"] == canonical
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": canonical}
    assert data["inLanguage"] == "de"
    assert data["isAccessibleForFree"] is True
    assert data["articleSection"] == "Politik"
    assert data["keywords"] == ["Nato", "Ukraine"]
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Anna Berg",
            "url": f"{ROOT_URL}/autor/anna-berg/",
            "jobTitle": "Korrespondentin",
        },
        {"@type": "Person", "name": "Jonas Weber", "url": f"{ROOT_URL}/autor/jonas-weber/"},
    ]
    assert data["correction"] == {
        "@type": "CorrectionComment",
        "text": "In einer früheren Fassung stand ein falsches Datum.",
        "datePublished": "2026-03-10T16:30:00+01:00",
    }


def test_news_article_images_are_absolute_renditions_in_three_ratios(rf, article):
    images = documents(render_head(rf, article))["NewsArticle"]["image"]

    # 16:9, 4:3 and 1:1 from a 1600x1000 original; never scaled up beyond it.
    assert [(image["width"], image["height"]) for image in images] == [
        (1200, 675),
        (1200, 900),
        (1000, 1000),
    ]
    for image in images:
        assert image["@type"] == "ImageObject"
        assert image["url"].startswith(f"{ROOT_URL}/media/images/")
        assert image["url"].endswith(".jpg")


def test_publisher_is_the_brand_with_its_logo(rf, article):
    publisher = documents(render_head(rf, article))["NewsArticle"]["publisher"]

    assert publisher["@type"] == "NewsMediaOrganization"
    assert publisher["name"] == BRAND_NAME
    assert publisher["url"] == f"{ROOT_URL}/"
    logo = publisher["logo"]
    assert logo["@type"] == "ImageObject"
    assert (logo["width"], logo["height"]) == (400, 100)
    assert logo["url"].startswith(f"{ROOT_URL}/media/images/")
    assert logo["url"].endswith(".png")


def test_date_modified_falls_back_to_last_publication(rf, brand, politik, anna):
    with time_machine.travel(PUBLISHED, tick=False):
        article = make_article(politik, "Ohne Update", "ohne-update", authors=[anna])
    with time_machine.travel(UPDATED, tick=False):
        article.save_revision().publish()
    article.refresh_from_db()

    data = documents(render_head(rf, article))["NewsArticle"]

    assert data["datePublished"] == "2026-03-10T11:00:00+01:00"
    assert data["dateModified"] == "2026-03-10T16:30:00+01:00"
    assert "correction" not in data
    assert "image" not in data
    assert "keywords" not in data


def test_search_description_is_the_description(rf, brand, politik, anna):
    article = make_article(
        politik, "Kurz", "kurz", authors=[anna], search_description="Für Suchmaschinen."
    )

    assert documents(render_head(rf, article))["NewsArticle"]["description"] == (
        "Für Suchmaschinen."
    )


def test_breadcrumbs_lead_from_home_through_ressort_to_article(rf, article):
    data = documents(render_head(rf, article))["BreadcrumbList"]

    assert data["itemListElement"] == [
        {"@type": "ListItem", "position": 1, "name": "Startseite", "item": f"{ROOT_URL}/"},
        {"@type": "ListItem", "position": 2, "name": "Politik", "item": f"{ROOT_URL}/politik/"},
        {
            "@type": "ListItem",
            "position": 3,
            "name": "Gipfel in Brüssel",
            "item": f"{ROOT_URL}/politik/gipfel-in-bruessel/",
        },
    ]


def test_headline_cannot_break_out_of_the_script_element(rf, brand, politik, anna):
    headline = 'Alarm </script><script>alert("x")</script> & <!-- mehr'
    article = make_article(politik, headline, "alarm", authors=[anna])

    html = render_head(rf, article)

    # Two JSON-LD scripts (NewsArticle, BreadcrumbList), each closed exactly once.
    assert html.count("<script") == 2
    assert html.count("</script>") == 2
    assert "<!--" not in html
    assert documents(html)["NewsArticle"]["headline"] == headline


def test_json_ld_script_escapes_like_json_script():
    html = json_ld_script({"text": "<b> & </script>"})

    assert html == (
        '<script type="application/ld+json">'
        '{"text": "\\u003Cb\\u003E \\u0026 \\u003C/script\\u003E"}</script>'
    )


def test_home_page_describes_organization_and_website(rf, brand, home_page):
    found = documents(render_head(rf, home_page, "/"))

    organization = found["NewsMediaOrganization"]
    assert organization["@id"] == f"{ROOT_URL}/#organization"
    assert organization["name"] == BRAND_NAME
    assert organization["url"] == f"{ROOT_URL}/"
    assert organization["logo"]["url"].startswith(f"{ROOT_URL}/media/images/")
    website = found["WebSite"]
    assert website["name"] == BRAND_NAME
    assert website["url"] == f"{ROOT_URL}/"
    assert website["inLanguage"] == "de"
    assert website["publisher"] == {"@id": f"{ROOT_URL}/#organization"}
    assert set(found) == {"NewsMediaOrganization", "WebSite"}


def test_ressort_page_has_breadcrumbs_but_no_article(rf, brand, politik):
    found = documents(render_head(rf, politik))

    assert set(found) == {"BreadcrumbList"}
    assert [item["name"] for item in found["BreadcrumbList"]["itemListElement"]] == [
        "Startseite",
        "Politik",
    ]
