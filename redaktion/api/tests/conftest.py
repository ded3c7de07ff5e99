"""A newsroom with every state an article can be in, read by the API's tests."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from redaktion.news.factories import (
    ArticlePageFactory,
    AuthorFactory,
    RessortPageFactory,
    TopicFactory,
)


@pytest.fixture(scope="module")
def newsroom_once(module_db):
    """Built once per module in its transaction (``module_db``); the tests only read it."""
    now = timezone.now()
    politik = RessortPageFactory(title="Politik", slug="politik", publish=False)
    intern = RessortPageFactory(title="Intern", slug="intern", publish=False)
    PageViewRestriction.objects.create(page=intern, restriction_type="password", password="x")
    wahl, geheim = (
        TopicFactory(name="Wahl", slug="wahl"),
        TopicFactory(name="Geheim", slug="geheim"),
    )
    reporterin = AuthorFactory(name="Anna Reporterin", slug="anna")
    ghost = AuthorFactory(name="Nur Entwurf", slug="nur-entwurf")

    def article(title, **kwargs):
        kwargs.setdefault("parent", politik)
        kwargs.setdefault("publish", False)
        return ArticlePageFactory(title=title, **kwargs)

    articles = {
        "older": article(
            "Älterer Artikel",
            first_published_at=now - timedelta(days=2),
            topics=[wahl],
            authors=[reporterin],
        ),
        "newer": article(
            "Neuer Artikel", first_published_at=now - timedelta(hours=1), topics=[wahl]
        ),
        "draft": article("Entwurf", live=False, topics=[geheim], authors=[ghost]),
        "future": article(
            "Noch nicht erschienen",
            first_published_at=now + timedelta(hours=2),
            topics=[geheim],
            authors=[ghost],
        ),
        "scheduled": article(
            "Geplant",
            live=False,
            go_live_at=now + timedelta(days=1),
            topics=[geheim],
            authors=[ghost],
        ),
        "unpublished": article("Zurückgezogen", topics=[geheim], authors=[ghost]),
        "restricted": article("Nur mit Passwort", topics=[geheim], authors=[ghost]),
        "under_restricted": article(
            "Im geschützten Ressort", parent=intern, topics=[geheim], authors=[ghost]
        ),
    }
    articles["unpublished"].unpublish()
    PageViewRestriction.objects.create(
        page=articles["restricted"], restriction_type="password", password="x"
    )
    return {"politik": politik, "intern": intern, "wahl": wahl, "anna": reporterin, **articles}


@pytest.fixture
def newsroom(newsroom_once, _empty_cache):
    """The module's newsroom, with the site's root paths cached again after the cache was
    emptied for the test, as in a process that has answered a request: the pinned query
    counts are those of every request after a process's first."""
    Site.get_site_root_paths()
    return newsroom_once


@pytest.fixture
def visible(newsroom):
    return {newsroom["older"].pk, newsroom["newer"].pk}


@pytest.fixture
def hidden(newsroom):
    names = ("draft", "future", "scheduled", "unpublished", "restricted", "under_restricted")
    return {newsroom[name].pk for name in names}
