"""Surrogate keys: the names under which cached responses are purged.

Every public response names the keys of what it shows (``redaktion.core.surrogate``
carries them to the page cache and, as ``xkey``/``Surrogate-Key``/``Cache-Tag`` headers, to
front caches); a change purges exactly the keys it touches (``ArticleEvent.purge_keys``).

* ``page-<id>``: the response *is* the page of Wagtail page ``id`` (an article, a Ressort,
  a standard page). Purged when that page's own content changes without the page changing,
  e.g. when the engine rewrote an article's "Mehr zum Thema".
* ``article-<id>``: the response *shows* the article, as a page, a teaser, a related link,
  a feed item or a sitemap entry. Purged whenever what readers see of the article changes.
* ``ressort-<id>``, ``topic-<id>``, ``author-<id>``: the response lists the articles of that
  Ressort, topic or author (its page, its feeds, the follow box). Purged when an article
  joins or leaves the list.
* ``archive-<yyyy>-<mm>``: the archive pages of that month and of its year.
* ``home``, ``river`` (the latest teasers shown on every page), ``feeds`` (the site-wide
  feeds), ``sitemap`` (the sitemaps, the Google News sitemap included), ``search`` (search
  results and suggestions): purged when any article joins or leaves the published set.
"""

from datetime import datetime

from django.utils import timezone

HOME = "home"
RIVER = "river"
FEEDS = "feeds"
SITEMAP = "sitemap"
SEARCH = "search"

# What changes whenever an article becomes visible or stops being visible.
PUBLISHED_SET = (HOME, RIVER, FEEDS, SITEMAP, SEARCH)


def page(pk: int) -> str:
    return f"page-{pk}"


def article(pk: int) -> str:
    return f"article-{pk}"


def ressort(pk: int) -> str:
    return f"ressort-{pk}"


def topic(pk: int) -> str:
    return f"topic-{pk}"


def author(pk: int) -> str:
    return f"author-{pk}"


def archive(when: datetime) -> str:
    """The month of ``when`` in the site's time zone (Europe/Berlin), as the archive counts."""
    local = timezone.localtime(when)
    return archive_month(local.year, local.month)


def archive_month(year: int, month: int) -> str:
    return f"archive-{year}-{month:02d}"
