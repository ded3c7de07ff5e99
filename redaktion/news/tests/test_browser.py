"""A reader's journey in a real Chromium: home → Ressort → article, on desktop and on a phone.

The site is served by pytest-django's ``live_server`` on 127.0.0.1; the Wagtail Site
(``localhost``, port 80) is the default site, so every host name reaches it. The test checks
what a reader sees on the article page, in the order the reader sees it, and that no request
leaves the machine.
"""

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from redaktion.core.templatetags.redaktion_tags import zeitpunkt
from redaktion.news.factories import ArticlePageFactory, AuthorFactory, TopicFactory
from redaktion.news.models import HomePage
from redaktion.related.factories import ArticleWithPicksFactory

from .newsroom import build_brand

pytestmark = [
    pytest.mark.browser,
    # The live server reads the database from another thread, so the data must be committed;
    # serialized_rollback brings back the home page and Site the migrations created (see
    # ensure_site_tree for the runs where it does not).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LEAD = (
    "Die Bundesregierung legt einen Entwurf vor, der die Förderung neu ordnet und den Ländern "
    "mehr Spielraum gibt. Kritiker sehen darin vor allem eine Verschiebung der Kosten."
)
PHONE = {"width": 390, "height": 844}


def ensure_site_tree() -> None:
    """The root collection and page, the home page and the default Site, as the migrations
    leave them.

    serialized_rollback restores them after an earlier transactional test flushed the
    database, but pytest-django serializes the database only in some runs; without it the
    tables are empty here and the tree is built again.
    """
    if HomePage.objects.filter(depth=2).exists():
        return
    # The flush re-created the content types under new ids; forget the cached ones.
    ContentType.objects.clear_cache()
    language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    Locale.objects.get_or_create(language_code=language)
    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=HomePage(title="Startseite", slug="home"))
    Site.objects.all().delete()
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Redaktion"
    )


def build_journey_newsroom() -> dict:
    """Two Ressorts with four articles each, lead images, authors and topics; the newest
    Politik article has an editor's pick ("Mehr zum Thema"). Live pages made without the
    publish pipeline: what the reader sees of them does not depend on it."""
    from redaktion.news.factories import RessortPageFactory

    home = HomePage.objects.get(depth=2)
    build_brand()
    politik = RessortPageFactory(parent=home, title="Politik", slug="politik", publish=False)
    wirtschaft = RessortPageFactory(
        parent=home, title="Wirtschaft", slug="wirtschaft", publish=False
    )
    topics = [TopicFactory(name="Energie", slug="energie"), TopicFactory(name="Haushalt")]
    authors = [
        AuthorFactory(name="Anna Berger", slug="anna-berger", role="Korrespondentin"),
        AuthorFactory(name="Jonas Keller", slug="jonas-keller", role="Redakteur"),
    ]
    articles = []
    for n in range(8):
        ressort = (politik, wirtschaft)[n % 2]
        articles.append(
            ArticlePageFactory(
                publish=False,
                parent=ressort,
                title=f"{ressort.title}: Meldung Nummer {n + 1} des Tages",
                lead=f"{LEAD} ({n + 1})",
                with_image=True,
                lead_image_credit="Bildagentur Nord",
                first_published_at=datetime(2024, 3, 1 + n, 7, 30, tzinfo=UTC),
                authors=[authors[n % 2]],
                topics=[topics[n % 2]],
            )
        )
    article = ArticleWithPicksFactory(
        publish=False,
        parent=politik,
        title="Bundestag beschließt das neue Heizungsgesetz",
        slug="bundestag-beschliesst-heizungsgesetz",
        kicker="Energiewende",
        lead=LEAD,
        with_image=True,
        lead_image_caption="Der Plenarsaal des Bundestags in Berlin.",
        lead_image_credit="dpa",
        first_published_at=datetime(2024, 3, 12, 16, 45, tzinfo=UTC),
        authors=authors,
        topics=topics,
        picks=[articles[1]],
    )
    return {"article": article, "politik": politik, "pick": articles[1]}


def in_dom_order(page, selectors: list[str]) -> None:
    """Each selector's first element comes after the previous one in the document."""
    positions = page.evaluate(
        """(selectors) => {
            const all = Array.from(document.querySelectorAll('*'));
            return selectors.map((s) => all.indexOf(document.querySelector(s)));
        }""",
        selectors,
    )
    missing = [s for s, pos in zip(selectors, positions, strict=True) if pos < 0]
    assert not missing, f"not on the page: {missing}"
    assert positions == sorted(positions), list(zip(selectors, positions, strict=True))


def top_to_bottom(page, selectors: list[str]) -> None:
    """Each selector's first element is laid out no higher than the previous one."""
    tops = [page.locator(s).first.bounding_box()["y"] for s in selectors]
    assert tops == sorted(tops), list(zip(selectors, tops, strict=True))


ANATOMY = [
    ".article__ressort",
    "h1.article__title",
    ".article__reading-time",
    ".article__published",
    ".article__lead",
    ".article__byline",
    ".article__figure img",
    ".article__figure figcaption",
    ".article__rows .rowline",
    ".article__rows .follow .rowline",
    ".article__body",
    ".related .section-title",
    ".river",
]


def journey(page, base_url: str, newsroom: dict) -> None:
    article = newsroom["article"]
    page.goto(base_url + "/")
    assert page.locator("h1, .site-header").first.is_visible()

    page.locator(".ressort-nav").get_by_role("link", name="Politik", exact=True).click()
    page.wait_for_url(base_url + newsroom["politik"].url)
    current = page.locator(".ressort-nav [aria-current='page']")
    assert current.inner_text().casefold() == "politik"

    page.locator(".teaser__link", has_text=article.title).first.click()
    page.wait_for_url(base_url + article.url)

    # The label is set in capitals by CSS; inner_text() is what the reader sees.
    assert page.locator(".article__ressort").inner_text().casefold() == "politik"
    assert page.locator("h1").inner_text() == article.title
    assert page.locator("h1").count() == 1
    reading = page.locator(".article__reading-time").inner_text()
    assert re.fullmatch(r"Lesezeit: \d+ min", reading), reading
    published = page.locator(".article__published").inner_text()
    assert published == zeitpunkt(article.first_published_at) == "12.03.2024 17:45"
    assert page.locator(".article__lead").inner_text() == LEAD

    figure = page.locator(".article__figure")
    assert figure.locator("img").count() == 1
    assert figure.locator("img").is_visible()
    caption = figure.locator("figcaption").inner_text()
    assert caption.startswith("Der Plenarsaal des Bundestags in Berlin.")
    assert figure.locator(".figure__credit").inner_text() == "Foto: dpa"

    related = page.locator(".related").first
    assert related.locator(".section-title").inner_text() == "Mehr zum Thema:"
    assert newsroom["pick"].title in related.locator(".related__link").all_inner_texts()

    topics = page.locator(".article__rows .rowline").first
    assert topics.locator(".rowline__label").inner_text() == "Mehr zum Thema:"
    assert topics.get_by_role("link").all_inner_texts() == ["Energie", "Haushalt"]
    follow = page.locator(".article__rows .follow")
    label = follow.locator(".rowline__label").inner_text()
    assert label == "Benachrichtigung über neue Artikel:"
    assert follow.locator(".chip--follow").count() == 5  # Ressort, 2 topics, 2 authors
    assert not follow.locator("dialog").is_visible()

    assert page.locator(".article__body p").first.inner_text().strip()

    authors = page.locator(".article__byline .byline__name")
    assert authors.all_inner_texts() == ["Anna Berger", "Jonas Keller"]
    assert authors.first.get_attribute("href").rstrip("/").endswith("/anna-berger")

    river = page.locator(".river")
    leads = river.locator(".teaser__lead").all_inner_texts()
    assert leads, "the river shows no teaser"
    assert all(lead.endswith("...") for lead in leads), leads
    assert river.locator(".teaser").count() == len(leads)

    in_dom_order(page, ANATOMY)
    top_to_bottom(page, ANATOMY)


@pytest.fixture
def journey_newsroom(live_server):
    cache.clear()
    ensure_site_tree()
    return build_journey_newsroom()


LOOPBACK = {"127.0.0.1", "localhost"}


def watch_hosts(page) -> set[str]:
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname or ""))
    return hosts


def test_reader_journey_on_desktop(journey_newsroom, live_server, browser_page):
    hosts = watch_hosts(browser_page)
    journey(browser_page, live_server.url, journey_newsroom)
    assert hosts and hosts <= LOOPBACK, hosts


def test_reader_journey_on_a_phone(journey_newsroom, live_server, chromium):
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="de-DE")
    try:
        page = context.new_page()
        hosts = watch_hosts(page)
        journey(page, live_server.url, journey_newsroom)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"horizontal scroll: {width}px wide"
        # The article column runs down the page: the lead image sits under the lead, full width.
        image = page.locator(".article__figure img").bounding_box()
        assert image["width"] <= PHONE["width"]
        assert hosts and hosts <= LOOPBACK, hosts
    finally:
        context.close()


def test_on_a_phone_the_text_and_the_headlines_come_first(journey_newsroom, live_server, chromium):
    """At 390×844 the article's first paragraph starts within one and a half screens, the
    Ressort page shows a headline on the first screen, and the header stays, at most 56 px
    tall."""
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="de-DE")
    try:
        page = context.new_page()
        page.goto(live_server.url + journey_newsroom["article"].url)
        first = page.locator(".article__body > p").first.bounding_box()
        assert first["y"] < 1.5 * PHONE["height"], first
        header = page.locator(".site-header").bounding_box()
        assert header["height"] <= 56, header
        page.evaluate("window.scrollTo(0, 1500)")
        assert page.evaluate("window.scrollY") > 1000
        assert page.locator(".site-header").bounding_box()["y"] == 0  # sticky
        assert page.locator(".site-header__search").is_visible()

        page.goto(live_server.url + journey_newsroom["politik"].url)
        headlines = page.locator(".lead-story__title, .teaser__title")
        above_fold = [
            box
            for box in (headlines.nth(n).bounding_box() for n in range(headlines.count()))
            if box["y"] + box["height"] <= PHONE["height"]
        ]
        assert above_fold, "no headline on the first screen"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"horizontal scroll: {width}px wide"
    finally:
        context.close()
