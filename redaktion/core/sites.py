"""The Wagtail site of a request, its brand and the sites' root paths, kept in each process
instead of asked for on every request.

Wagtail finds a request's site with a query (``Site.find_for_request``), the brand
(``BrandSettings``, on every page) with another, and the root paths of the sites (for every
page URL) in the cache. All change rarely, so each process keeps them per host and port,
valid while the cache's *generation* (``GENERATION_KEY``) and the version of the ``site``
surrogate key are the ones they were kept under. Saving or deleting a site, or saving the
brand, sets a new generation once the transaction commits; a change of the pages above the
articles (a root page renamed or moved) purges the ``site`` key. After a flush the cache has
no generation, and the next request sets a new random one, so no process keeps a site from
before the flush. Both are read with the page's fragments (``fragments.read_ahead``): no
round trip of their own. A request that reads no fragments ahead (the first for its URL,
the fragment cache off or down) asks as Wagtail does.

Each request gets its own copy of the kept site, its root page and the brand, holding their
field values only (so what a request caches on them, such as the root page's ``specific``
page, stays with that request)."""

from __future__ import annotations

import copy
import secrets
import threading
from dataclasses import dataclass

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http.request import split_domain_port
from wagtail.models import Site

from . import fragments, surrogate
from .models import BrandSettings
from .outage import cache_call

GENERATION_KEY = "redaktion:sites:generation"
# Hosts a process keeps sites for; forgotten all at once (a host is checked against
# ALLOWED_HOSTS only later, so the table must not grow with whatever clients send).
REMEMBERED_HOSTS = 100
SAFE_METHODS = frozenset({"GET", "HEAD"})

# A change of the page tree above the articles (the root page's path among them) purges the
# site key: what a process keeps is valid under one version of it.
SITE_VERSION_KEY = surrogate.version_key(surrogate.SITE)

fragments.read_ahead(GENERATION_KEY)
fragments.read_ahead(SITE_VERSION_KEY)


@dataclass(frozen=True)
class Kept:
    valid_under: tuple
    site: Site | None
    brand: BrandSettings | None
    root_paths: tuple


_kept: dict[tuple[str, int], Kept] = {}
_lock = threading.Lock()


def _new_generation(*, replace: bool) -> None:
    cache = surrogate.page_cache()
    method = cache.set if replace else cache.add
    cache_call(method, GENERATION_KEY, secrets.token_hex(8), timeout=None)


def forget(**kwargs) -> None:
    """A site or the brand changed: this process forgets what it kept at once, every
    process once the transaction commits (a new generation)."""
    with _lock:
        _kept.clear()
    transaction.on_commit(lambda: _new_generation(replace=True), robust=True)


def attach(request) -> None:
    """Before Wagtail looks for ``request``'s site (a ``GET``/``HEAD``): the site, the
    brand and the root paths this process keeps for its host and port, if they are still
    current, as Wagtail's own per-request caches (``request._wagtail_site``, the brand's
    ``for_request`` attribute, ``request._wagtail_cached_site_root_paths``); otherwise they
    are read now, and kept."""
    if request.method not in SAFE_METHODS or hasattr(request, "_wagtail_site"):
        return
    generation = fragments.ahead(GENERATION_KEY)
    if generation is fragments.NOT_READ:
        return
    if generation is None:
        _new_generation(replace=False)
        return
    valid_under = (generation, fragments.ahead(SITE_VERSION_KEY))
    host = (split_domain_port(request._get_raw_host())[0], request.get_port())
    kept = _kept.get(host)
    if kept is None or kept.valid_under != valid_under:
        site = Site.find_for_request(request)
        kept = Kept(
            valid_under,
            site,
            BrandSettings.for_site(site) if site is not None else None,
            tuple(Site.get_site_root_paths()),
        )
        with _lock:
            if len(_kept) >= REMEMBERED_HOSTS:
                _kept.clear()
            _kept[host] = kept
    site = kept.site
    if site is not None:
        site = _fresh(site)
        site._state.fields_cache["root_page"] = _fresh(kept.site.root_page)
    request._wagtail_site = site
    request._wagtail_cached_site_root_paths = list(kept.root_paths)
    if kept.brand is not None:
        brand = _fresh(kept.brand)
        brand._request = request
        setattr(request, BrandSettings.get_cache_attr_name(), brand)


def _fresh(instance):
    """A copy of the model ``instance`` with its field values only: what a request caches
    on it (a page's ``specific``, a related object) stays with that request."""
    clone = copy.copy(instance)
    fields = {field.attname for field in instance._meta.concrete_fields}
    for name in [name for name in clone.__dict__ if name != "_state" and name not in fields]:
        del clone.__dict__[name]
    clone._state.fields_cache = {}
    return clone


post_save.connect(forget, sender=Site, dispatch_uid="redaktion.sites.site_saved")
post_delete.connect(forget, sender=Site, dispatch_uid="redaktion.sites.site_deleted")
post_save.connect(forget, sender=BrandSettings, dispatch_uid="redaktion.sites.brand_saved")
