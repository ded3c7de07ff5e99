"""The fragments many pages share (menu, river, "Mehr zum Thema", the body) are cached by
their surrogate keys: used while none of them is purged, built anew after a publish or a
purge of any of them, and a page built from them carries the same keys as one built
without them."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from redaktion.core import fragments, surrogate
from redaktion.news import keys
from redaktion.news.factories import ArticlePageFactory, RessortPageFactory
from redaktion.related.factories import ArticleWithPicksFactory
from redaktion.related.models import RelatedPick

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fragments_without_page_cache")]

START = datetime(2024, 4, 24, 6, 0, tzinfo=UTC)


@pytest.fixture
def articles(ressorts):
    parents = list(ressorts.values())
    return [
        ArticlePageFactory(
            publish=False,
            parent=parents[n % len(parents)],
            title=f"Meldung {n}",
            first_published_at=START + timedelta(hours=n),
        )
        for n in range(4)
    ]


def later(seconds: float = 2):
    """Past the purge margin: a fragment built right after a purge of one of its keys is
    used but not stored (``surrogate.PURGE_MARGIN_NS``)."""
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds), tick=False)


def test_the_river_is_shared_until_its_key_is_purged(client, ressorts, articles):
    page = articles[0]
    assert "Meldung 3" in client.get(page.url).text
    # Live without a publish (no event, no purge): the cached river does not know it yet.
    ArticlePageFactory(publish=False, parent=ressorts["Politik"], title="Sondermeldung")
    assert "Sondermeldung" not in client.get(articles[1].url).text
    surrogate.purge([keys.RIVER])
    assert "Sondermeldung" in client.get(page.url).text


def test_a_publish_purges_the_river(client, ressorts, articles, django_capture_on_commit_callbacks):
    assert "Sondermeldung" not in client.get(articles[0].url).text
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePageFactory(parent=ressorts["Politik"], title="Sondermeldung")
    with later():
        assert "Sondermeldung" in client.get(articles[0].url).text


def test_the_menu_is_purged_with_the_site_key(client, home_page, ressorts, articles):
    assert "Feuilleton" not in client.get(articles[0].url).text
    RessortPageFactory(parent=home_page, title="Feuilleton", slug="feuilleton", publish=False)
    assert "Feuilleton" not in client.get(articles[0].url).text
    surrogate.purge([surrogate.SITE])
    assert "Feuilleton" in client.get(articles[0].url).text


def test_related_lists_are_purged_with_the_page_key(client, ressorts, articles):
    article = ArticleWithPicksFactory(
        publish=False, parent=ressorts["Politik"], title="Thema", picks=[articles[1]]
    )
    assert (
        "Meldung 1"
        in client.get(article.url).text.split('id="related-title"')[1].split("</section>")[0]
    )
    RelatedPick.objects.filter(page=article).update(article=articles[2])
    related = client.get(article.url).text.split('id="related-title"')[1].split("</section>")[0]
    assert "Meldung 1" in related and "Meldung 2" not in related
    surrogate.purge([keys.page(article.pk)])
    related = client.get(article.url).text.split('id="related-title"')[1].split("</section>")[0]
    assert "Meldung 2" in related and "Meldung 1" not in related


def test_a_correction_shows_the_new_body(
    client, ressorts, articles, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticlePageFactory(
            parent=ressorts["Politik"], body=[("paragraph", "<p>Erste Fassung</p>")]
        )
    with later():
        assert "Erste Fassung" in client.get(article.url).text
    with django_capture_on_commit_callbacks(execute=True):
        article.body = [("paragraph", "<p>Berichtigte Fassung</p>")]
        article.save_revision().publish()
    with later(4):
        text = client.get(article.url).text
    assert "Berichtigte Fassung" in text and "Erste Fassung" not in text


def test_a_page_from_cached_fragments_carries_the_same_keys(client, ressorts, articles):
    article = ArticleWithPicksFactory(
        publish=False, parent=ressorts["Politik"], title="Thema", picks=[articles[1]]
    )
    cold = client.get(article.url)
    warm = client.get(article.url)
    assert warm["Surrogate-Key"] == cold["Surrogate-Key"]
    shown = set(cold["Surrogate-Key"].split())
    assert {keys.RIVER, keys.page(article.pk), keys.article(articles[1].pk)} <= shown
    assert warm.content == cold.content


def test_the_front_page_is_shared_until_the_home_key_is_purged(client, ressorts, articles):
    assert "Meldung 3" in client.get("/").text
    ArticlePageFactory(publish=False, parent=ressorts["Politik"], title="Sondermeldung")
    assert "Sondermeldung" not in client.get("/").text
    surrogate.purge([keys.HOME])
    assert "Sondermeldung" in client.get("/").text


def test_a_headline_changed_on_the_front_page_after_its_article_key_is_purged(client, articles):
    assert "Meldung 2" in client.get("/").text
    type(articles[2]).objects.filter(pk=articles[2].pk).update(title="Neue Schlagzeile")
    assert "Neue Schlagzeile" not in client.get("/").text
    surrogate.purge([keys.article(articles[2].pk)])
    text = client.get("/").text
    assert "Neue Schlagzeile" in text and "Meldung 2" not in text


def test_a_ressort_page_is_shared_until_its_ressort_key_is_purged(client, ressorts, articles):
    politik = ressorts["Politik"]
    assert "Meldung 0" in client.get(politik.url).text
    ArticlePageFactory(publish=False, parent=politik, title="Sondermeldung")
    assert "Sondermeldung" not in client.get(politik.url).text
    surrogate.purge([keys.ressort(politik.pk)])
    assert "Sondermeldung" in client.get(politik.url).text


def test_a_publish_shows_on_its_ressort_page_and_the_front_page(
    client, ressorts, articles, django_capture_on_commit_callbacks
):
    politik = ressorts["Politik"]
    assert "Sondermeldung" not in client.get(politik.url).text
    assert "Sondermeldung" not in client.get("/").text
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePageFactory(parent=politik, title="Sondermeldung")
    with later():
        assert "Sondermeldung" in client.get(politik.url).text
        assert "Sondermeldung" in client.get("/").text


@pytest.mark.parametrize("page", ["home", "ressort", "ressort-page-2"])
def test_listings_from_cached_fragments_are_the_same_page(client, settings, ressorts, page):
    parent = ressorts["Politik"]
    for n in range(25):
        ArticlePageFactory(
            publish=False,
            parent=parent,
            title=f"Meldung {n}",
            first_published_at=START + timedelta(hours=n),
        )
    url = {"home": "/", "ressort": parent.url, "ressort-page-2": f"{parent.url}?page=2"}[page]
    settings.FRAGMENT_CACHE_ENABLED = False
    uncached = client.get(url)
    settings.FRAGMENT_CACHE_ENABLED = True
    cold, warm = client.get(url), client.get(url)
    assert uncached.content == cold.content == warm.content
    assert warm["Surrogate-Key"] == cold["Surrogate-Key"] == uncached["Surrogate-Key"]
    assert b"teaser__title" in warm.content


def test_page_numbers_share_a_fragment_and_others_are_not_found(client, ressorts, articles):
    politik = ressorts["Politik"]
    assert client.get(f"{politik.url}?page=01").status_code == 200
    ArticlePageFactory(publish=False, parent=politik, title="Sondermeldung")
    assert "Sondermeldung" not in client.get(f"{politik.url}?page=1").text
    assert client.get(f"{politik.url}?page=zwei").status_code == 404
    assert client.get(f"{politik.url}?page=9").status_code == 404


def test_a_page_reads_all_its_fragments_in_one_cache_call(client, ressorts, articles, monkeypatch):
    article = ArticleWithPicksFactory(
        publish=False, parent=ressorts["Politik"], title="Thema", picks=[articles[1]]
    )
    cold = client.get(article.url)  # builds and stores the fragments
    client.get(article.url)  # reads them one by one, and the page's list is remembered
    cache = surrogate.page_cache()
    reads = []
    get_many = cache.get_many

    def counted(keys, *args, **kwargs):
        reads.append([key for key in keys if key.startswith(fragments.PREFIX)])
        return get_many(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", counted)
    warm = client.get(article.url)
    assert warm.content == cold.content
    fragment_reads = [keys for keys in reads if keys]
    assert len(fragment_reads) == 1
    assert len(fragment_reads[0]) >= 5  # menu, body, related, river, footer links


def test_a_fragment_read_ahead_and_purged_is_built_again(client, ressorts, articles):
    page = articles[0]
    client.get(page.url)
    client.get(page.url)
    ArticlePageFactory(publish=False, parent=ressorts["Politik"], title="Sondermeldung")
    surrogate.purge([keys.RIVER])
    assert "Sondermeldung" in client.get(page.url).text
