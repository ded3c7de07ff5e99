"""Where an imported item goes, the same for every source: its Ressort (from the mapping
file, a category naming a Ressort, or the fallback Ressort), its byline's authors, its
revision published, scheduled or left a draft as at the source, and the permanent redirect
from its old address."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.contrib.redirects.models import Redirect

from redaktion.news import factories
from redaktion.news.models import ArticlePage, Author, RessortPage
from redaktion.notifications.models import Announcement

from .models import ImportedItem

if TYPE_CHECKING:
    from .services import Options


class ItemError(Exception):
    """One item cannot be imported; the message says why."""


def ressort_for(
    categories: list[tuple[str, str]], *, options: Options, ressorts: list[RessortPage]
) -> RessortPage:
    """The mapping file's Ressort for the first mapped category (slug, name); else the
    first category that names an existing Ressort (slug or title); else the fallback
    Ressort. ``ItemError`` says what to name when none fits."""
    mapping = options.category_map
    for slug, name in categories:
        target = mapping.get(slug.casefold()) or mapping.get(name.casefold())
        if target:
            ressort = find_ressort(target, ressorts)
            if ressort is None:
                raise ItemError(
                    _("the mapping names the Ressort “%(name)s”, which does not exist")
                    % {"name": target}
                )
            return ressort
    for slug, name in categories:
        ressort = find_ressort(slug, ressorts) or find_ressort(name, ressorts)
        if ressort is not None:
            return ressort
    if options.fallback_ressort:
        ressort = find_ressort(options.fallback_ressort, ressorts)
        if ressort is not None:
            return ressort
        raise ItemError(
            _("the fallback Ressort “%(name)s” does not exist") % {"name": options.fallback_ressort}
        )
    names = ", ".join(name for _slug, name in categories) or "—"
    raise ItemError(
        _("no Ressort for the categories %(names)s; name one with --map or --fallback-ressort")
        % {"names": names}
    )


def find_ressort(name: str, ressorts: list[RessortPage]) -> RessortPage | None:
    """The Ressort whose slug or title is ``name`` (case-insensitive), or None."""
    wanted = name.strip().casefold()
    if not wanted:
        return None
    for ressort in ressorts:
        if wanted in (ressort.slug.casefold(), ressort.title.casefold()):
            return ressort
    return None


def author_import(*, source: str, key: str, name: str) -> Author:
    """The ``Author`` imported for the source's author ``key``, made once (with ``name``, or
    the key when the source names none) under a slug no other author has."""
    record, author = ImportedItem.objects.find(
        source=source, key=f"author:{key}"[:255], model=Author
    )
    if author is not None:
        return author
    name = (name or key)[:120]
    base = slugify(name)[:100] or slugify(key)[:100] or "autor"
    slug, number = base, 2
    while Author.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    author = Author.objects.create(name=name, slug=slug, is_guest=False)
    ImportedItem.objects.remember(
        source=source, key=f"author:{key}"[:255], obj=author, record=record
    )
    return author


def redirect_paths() -> set[str]:
    """The old paths that already have a redirect on every site, for
    ``redirect_old_address(known=…)``."""
    return set(Redirect.objects.filter(site=None).values_list("old_path", flat=True))


def redirect_old_address(link: str, page, *, known: set[str] | None = None) -> None:
    """A permanent redirect from the item's old address to its new page (none where the
    address has no path or is the page's own). ``known``: the old paths that have a
    redirect (``redirect_paths``), kept up to date here; a path not in it is created
    without looking for it first. A path in it that a rolled-back item left there is
    looked for, so the set may hold too many, never too few."""
    parts = urlsplit(link)
    if not parts.path or parts.path == "/":
        return
    old_path = Redirect.normalise_path(parts.path + (f"?{parts.query}" if parts.query else ""))
    # The page's own address ends in its slug; reading it needs the site's root paths.
    if old_path.rstrip("/").rsplit("/", 1)[-1] == page.slug:
        page_url = page.get_url_parts()
        if page_url and Redirect.normalise_path(page_url[2]) == old_path:
            return
    if known is not None and old_path not in known:
        Redirect.objects.create(old_path=old_path, site=None, redirect_page=page, is_permanent=True)
        known.add(old_path)
        return
    Redirect.objects.update_or_create(
        old_path=old_path, site=None, defaults={"redirect_page": page, "is_permanent": True}
    )


def revision_store(page, *, status: str, date, created: bool) -> None:
    """A revision of ``page``, published ("publish", with its source's date), scheduled
    ("future", at ``date``) or left as a draft."""
    if status == "future":
        page.go_live_at = date
    if status == "publish" and page.first_published_at is None:
        page.first_published_at = date or timezone.now()
    revision = page.save_revision(log_action=True)
    if status == "publish":
        # Published at its source long ago: recorded as announced, so the publish pipeline
        # alerts no follower about an old article coming over. A scheduled post is news
        # when it goes live here, and is announced then.
        if isinstance(page, ArticlePage):
            Announcement.objects.get_or_create(article_id=page.pk)
        revision.publish()
        if created:
            factories.backdate(page, revision, last_published_at=None)
    elif status == "future":
        revision.publish()
