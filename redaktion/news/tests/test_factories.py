from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from wagtail.models import PageLogEntry, Revision

from redaktion.news.factories import (
    ArticlePageFactory,
    AuthorFactory,
    ImageFactory,
    RessortPageFactory,
    StandardPageFactory,
    TopicFactory,
    reseed,
)
from redaktion.news.models import ArticlePage, RessortPage, StandardPage

BERLIN = ZoneInfo("Europe/Berlin")
pytestmark = pytest.mark.django_db


def test_image_factory_makes_a_real_picture():
    image = ImageFactory(motif="finanzen", width=320, height=180)

    with image.open_file() as f, Image.open(f) as picture:
        assert picture.format == "JPEG"
        assert picture.size == (320, 180)
    assert (image.width, image.height) == (320, 180)
    assert image.file_size > 1000
    assert len(image.file_hash) == 40
    assert image.collection.is_root()


def test_portrait_and_logo_are_png():
    portrait = ImageFactory(kind="portrait", title="Lena Hartmann", width=120, height=120)
    short = ImageFactory(kind="logo", title="RN", height=120)
    logo = ImageFactory(kind="logo", title="Redaktion Nachrichten", height=120)

    for image, height in ((portrait, 120), (short, 120), (logo, 120)):
        with image.open_file() as f, Image.open(f) as picture:
            assert picture.format == "PNG"
            assert picture.height == height
    assert portrait.width == 120
    # The wordmark grows with the name instead of cutting it off.
    assert logo.width > short.width + 300


def test_same_seed_same_picture():
    first = ImageFactory(motif="politik", seed=7)
    second = ImageFactory(motif="politik", seed=7)
    other = ImageFactory(motif="politik", seed=8)

    assert first.file_hash == second.file_hash
    assert first.file_hash != other.file_hash


def test_fixed_seed_repeats_names():
    reseed()
    first = AuthorFactory.build().name
    reseed()
    assert AuthorFactory.build().name == first


def test_author_and_topic():
    author = AuthorFactory(name="Lena Hartmann", slug="lena-hartmann", with_portrait=True)
    topic = TopicFactory(name="Energiewende")

    assert author.portrait.title == "Lena Hartmann"
    assert topic.slug == "energiewende"


def test_ressort_page_is_published_under_the_home_page(home_page):
    ressort = RessortPageFactory(title="Politik", slug="politik")

    ressort.refresh_from_db()
    assert ressort.get_parent().specific == home_page
    assert ressort.live
    assert ressort.live_revision is not None
    assert ressort.url_path == "/home/politik/"


def test_article_goes_through_revision_and_publish():
    published = datetime(2024, 3, 5, 9, 30, tzinfo=BERLIN)
    ressort = RessortPageFactory(title="Wirtschaft")
    authors = [AuthorFactory(), AuthorFactory(is_guest=True)]
    topics = [TopicFactory(name="Zinsen"), TopicFactory(name="EZB")]

    article = ArticlePageFactory(
        parent=ressort,
        title="Die Notenbank senkt den Leitzins",
        first_published_at=published,
        authors=authors,
        topics=topics,
        with_image=True,
    )

    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live and not article.has_unpublished_changes
    assert article.first_published_at == published
    assert article.last_published_at == published
    assert article.get_parent().specific == ressort
    assert article.authors == authors
    assert sorted(t.name for t in article.topics.all()) == ["EZB", "Zinsen"]
    assert article.lead_image is not None
    assert article.lead_image_credit
    revision = Revision.page_revisions.get(object_id=str(article.pk))
    assert revision == article.live_revision
    assert revision.created_at == published
    assert revision.content["article_authors"]
    assert PageLogEntry.objects.filter(page=article, action="wagtail.publish").get().timestamp == (
        published
    )


def test_article_reading_time_is_computed_on_save():
    long = ArticlePageFactory(paragraphs=["Wort " * 200, "Satz " * 200])
    short = ArticlePageFactory(paragraphs=["Nur ein kurzer Absatz."])

    assert ArticlePage.objects.get(pk=long.pk).reading_time == 2
    assert ArticlePage.objects.get(pk=short.pk).reading_time == 1
    assert long.word_count > 400


def test_updated_article_keeps_its_first_publication():
    published = datetime(2024, 3, 5, 9, 30, tzinfo=BERLIN)
    updated = published + timedelta(hours=5)

    article = ArticlePageFactory(
        first_published_at=published,
        updated_at=updated,
        correction_note="Korrektur: In einer früheren Fassung stand ein falsches Datum.",
    )

    article.refresh_from_db()
    assert article.first_published_at == published
    assert article.last_published_at == updated


def test_standard_page(home_page):
    page = StandardPageFactory(title="Datenschutz", body="<p>Wir speichern wenig.</p>")

    page = StandardPage.objects.get(pk=page.pk)
    assert page.live
    assert page.get_parent().specific == home_page
    assert RessortPage.objects.count() == 0
