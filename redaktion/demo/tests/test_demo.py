"""The ``redaktion demo`` command, loaded once for the module (it takes a while) inside the
module's transaction (``module_db``), so other test modules never see the newsroom.

Every test here asks for ``db``: pytest-django runs database tests before the others, and a
test without it would be moved to the end of the session and load the demo a second time.
"""

import re
from datetime import timedelta
from io import StringIO
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone, translation
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, PageLogEntry, Revision, Site

from redaktion.core.models import BrandSettings
from redaktion.news.blocks import body_text
from redaktion.news.live import LiveTickerPage
from redaktion.news.models import ArticlePage, Author, HomePage, RessortPage, Topic

BERLIN = ZoneInfo("Europe/Berlin")
PASSWORD_RE = re.compile(r"^Password: (\S+)$", re.M)
# Words no German news text of a few hundred words does without.
GERMAN_WORDS = {"der", "die", "das", "und", "ist", "nicht", "mit", "für", "auf", "den", "sich"}


def snapshot() -> dict[str, int]:
    """How many rows of everything the demo writes; a second run must not change any."""
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "log entries": PageLogEntry.objects.count(),
        "images": get_image_model().objects.count(),
        "collections": Collection.objects.count(),
        "authors": Author.objects.count(),
        "topics": Topic.objects.count(),
        "users": get_user_model().objects.count(),
        "brand settings": BrandSettings.objects.count(),
    }


def run_demo() -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("redaktion_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(module_db):
    started = timezone.now()
    output = run_demo()
    return SimpleNamespace(output=output, started=started, after_first_run=snapshot())


@pytest.fixture
def articles(demo, db):
    return list(
        ArticlePage.objects.select_related("lead_image").prefetch_related(
            "article_authors__author", "tagged_items__tag"
        )
    )


def test_builds_the_newsroom(demo, db):
    ressorts = RessortPage.objects.live().child_of(HomePage.objects.get(depth=2))

    assert ArticlePage.objects.live().count() >= 80
    assert ressorts.count() >= 6
    assert {"Politik", "Wirtschaft", "Finanzen", "Unternehmen", "Technologie", "Panorama"} <= {
        r.title for r in ressorts
    }
    assert all(r.description for r in ressorts)
    assert all(ArticlePage.objects.child_of(r).count() >= 5 for r in ressorts)
    assert Topic.objects.count() >= 25
    assert Topic.objects.exclude(description="").count() == Topic.objects.count()
    assert Author.objects.count() >= 8
    assert Author.objects.filter(is_guest=True).exists()
    assert not Author.objects.filter(portrait=None).exists()
    assert "Demo newsroom loaded" in demo.output


def test_every_article_is_complete(articles):
    for article in articles:
        assert article.live and not article.has_unpublished_changes, article.slug
        assert article.kicker and article.lead, article.slug
        assert article.lead_image is not None, article.slug
        assert article.lead_image.collection.name == "Demo"
        assert article.lead_image_credit and article.lead_image_caption, article.slug
        assert 1 <= len(article.article_authors.all()) <= 2, article.slug
        assert 1 <= len(article.tagged_items.all()) <= 4, article.slug


def test_each_article_has_one_backdated_revision(articles):
    for article in articles:
        revisions = Revision.page_revisions.filter(object_id=str(article.pk))
        assert revisions.count() == 1, article.slug
        assert revisions.get().created_at == article.last_published_at


def test_publication_dates(demo, articles):
    dates = sorted(article.first_published_at for article in articles)

    assert dates[-1] - dates[0] >= timedelta(days=int(2.5 * 365))
    assert dates[-1] <= demo.started
    assert sum(demo.started - date <= timedelta(hours=48) for date in dates) >= 3
    assert all(7 <= date.astimezone(BERLIN).hour < 19 for date in dates)


def test_reading_times_vary(articles):
    times = {article.reading_time for article in articles}
    words = [article.word_count for article in articles]

    assert {1, 2, 3, 4} <= times
    assert min(words) >= 200


def test_text_is_german(articles):
    for article in articles:
        text = f"{article.title} {article.lead} {body_text(article.body)}".lower()
        found = GERMAN_WORDS & set(re.findall(r"\w+", text))
        assert len(found) >= 6, (article.slug, found)


def test_headlines_and_slugs_are_unique(articles):
    assert len({article.title for article in articles}) == len(articles)
    assert len({article.slug for article in articles}) == len(articles)
    assert all(re.fullmatch(r"[a-z0-9-]+", article.slug) for article in articles)


def test_body_blocks(articles):
    kinds = [{block.block_type for block in article.body} for article in articles]

    assert all("paragraph" in k for k in kinds)
    assert sum("subheading" in k for k in kinds) >= len(articles) // 2
    assert sum("quote" in k for k in kinds) >= 10
    assert sum("infobox" in k for k in kinds) >= 10


def test_corrections_and_picks(articles):
    corrected = [a for a in articles if a.correction_note]
    picked = [a for a in articles if a.related_picks.exists()]

    assert len(corrected) >= 3
    for article in corrected:
        assert article.correction_note.startswith("Korrektur:")
        assert article.updated_at > article.first_published_at
        assert article.last_published_at == article.updated_at
    assert len(picked) >= 3
    for article in picked:
        for pick in article.related_picks.all():
            assert pick.article.first_published_at < article.first_published_at


def test_brand_home_and_legal_pages(demo, db):
    site = Site.objects.get(is_default_site=True)
    brand = BrandSettings.for_site(site)
    home = HomePage.objects.get(depth=2)

    assert brand.name == "Redaktion Nachrichten" and brand.short_name == "RN"
    assert brand.logo is not None
    assert brand.share_image.width == 1200  # articles without a lead image are shared with it
    brand.full_clean()
    assert brand.impressum_page.slug == "impressum"
    assert brand.privacy_page.slug == "datenschutz"
    assert "Demo" in brand.impressum_page.specific.body
    assert home.lead_story is not None and home.lead_story.live
    assert home.live_revision.content["lead_story"] == home.lead_story_id
    # The site answers at the configured public address (test settings: http://testserver).
    assert (site.hostname, site.port) == ("testserver", 80)


def test_every_ressort_has_its_author_group(demo, db):
    from django.contrib.auth.models import Group

    for ressort in RessortPage.objects.all():
        assert Group.objects.filter(name=f"Autor: {ressort.title}").exists(), ressort.title


def test_admin_password_is_printed_and_works(demo, db, client):
    password = PASSWORD_RE.search(demo.output).group(1)

    assert len(password) >= 12
    assert client.login(username="admin", password=password)
    assert get_user_model().objects.get(username="admin").is_superuser


def test_second_run_changes_nothing(demo, db, client):
    output = run_demo()

    assert snapshot() == demo.after_first_run
    assert "already loaded" in output
    assert "redaktion changepassword admin" in output
    assert not PASSWORD_RE.search(output)
    assert client.login(username="admin", password=PASSWORD_RE.search(demo.output).group(1))


def test_live_ticker_with_sixty_entries_over_a_day(demo, db, client):
    ticker = LiveTickerPage.objects.live().get()
    entries = list(ticker.entries.order_by("posted_at"))
    assert len(entries) == 60
    day = {timezone.localtime(entry.posted_at, BERLIN).date() for entry in entries}
    assert len(day) == 1
    span = entries[-1].posted_at - entries[0].posted_at
    assert timedelta(hours=10) <= span <= timedelta(hours=16)
    assert sum(entry.is_key_event for entry in entries) >= 3
    assert sum(entry.is_pinned for entry in entries) == 1
    assert ticker.is_closed
    html = client.get(ticker.url).content.decode()
    assert "Wichtigste Ereignisse" in html and "Der Liveticker ist beendet." in html
