"""Reader pages found in one query instead of one or two per level of the page tree.

Wagtail finds the page of ``/politik/some-article/`` by asking for each path segment's
child and then its specific page: five queries for an article. Each process remembers,
per site and path, the page it found there and its type (``KnownRoutes``), and on the next
request for that path loads that page alone; Wagtail's serve view then uses it, since it
keeps the route of a request in ``request._wagtail_route_for_request``.

A remembered route is used only while it is still true: the page is loaded afresh and must
still be live, of the same type, and still have the tree path (``url_path``) it was found
at, under the same site root. A page moved, renamed, unpublished or deleted fails that
check, and the request is routed by Wagtail as before. Only routes that end at a page
itself are remembered: a page's own sub-routes (the home page's topic, author and archive
pages) are Wagtail's.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from . import sites

SAFE_METHODS = frozenset({"GET", "HEAD"})
ROUTE_ATTRIBUTE = "_wagtail_route_for_request"
KNOWN_ATTRIBUTE = "_redaktion_known_route"
# Routes a process remembers; the least recently used is forgotten first.
REMEMBERED_ROUTES = 50_000


@dataclass(frozen=True)
class Known:
    page_id: int
    content_type_id: int
    model: type[Page]
    url_path: str


class KnownRoutes:
    """Per path, and per site and site root under it: the page found there (bounded by
    paths, the least recently used forgotten first; safe for the threads of a worker). A
    request whose path is not known costs no lookup at all, not even its site's."""

    def __init__(self, size: int = REMEMBERED_ROUTES):
        self.size = size
        self._routes: OrderedDict[str, dict[tuple, Known]] = OrderedDict()
        self._lock = threading.Lock()

    def for_path(self, path: str) -> dict[tuple, Known] | None:
        with self._lock:
            sites = self._routes.get(path)
            if sites is not None:
                self._routes.move_to_end(path)
                sites = dict(sites)
            return sites

    def put(self, path: str, site: tuple, known: Known) -> None:
        with self._lock:
            self._routes.setdefault(path, {})[site] = known
            self._routes.move_to_end(path)
            while len(self._routes) > self.size:
                self._routes.popitem(last=False)

    def forget(self, path: str, site: tuple) -> None:
        with self._lock:
            sites = self._routes.get(path, {})
            sites.pop(site, None)
            if not sites:
                self._routes.pop(path, None)

    def clear(self) -> None:
        with self._lock:
            self._routes.clear()


known_routes = KnownRoutes()


def _site_key(site: Site) -> tuple:
    return (site.pk, site.root_page_id)


def _load(known: Known) -> Page | None:
    """The remembered page if it is still live, of the remembered type, at the remembered
    tree path (one query)."""
    page = known.model._default_manager.filter(
        pk=known.page_id, content_type_id=known.content_type_id, live=True
    ).first()
    if page is None or page.url_path != known.url_path:
        return None
    return page


def route_known(request) -> None:
    """Before Wagtail routes ``request``: the page of a remembered route, if it is still
    there, as the request's route."""
    if request.method not in SAFE_METHODS or hasattr(request, ROUTE_ATTRIBUTE):
        return
    sites = known_routes.for_path(request.path_info)
    if not sites:
        return
    site = Site.find_for_request(request)
    known = sites.get(_site_key(site)) if site is not None else None
    if known is None:
        return
    page = _load(known)
    if page is None:
        known_routes.forget(request.path_info, _site_key(site))
        return
    setattr(request, ROUTE_ATTRIBUTE, RouteResult(page))
    setattr(request, KNOWN_ATTRIBUTE, True)


def remember_route(request) -> None:
    """After Wagtail served ``request``: remember its route when it ends at a page itself,
    and that page's tree path is the request's path under the site root."""
    if request.method not in SAFE_METHODS or getattr(request, KNOWN_ATTRIBUTE, False):
        return
    result = getattr(request, ROUTE_ATTRIBUTE, None)
    site = getattr(request, "_wagtail_site", None)
    if result is None or site is None or result.args or result.kwargs:
        return
    page = result.page
    root_path = site.root_page.url_path
    if not page.live or page.url_path != root_path + request.path_info.lstrip("/"):
        return
    known = Known(page.pk, page.content_type_id, type(page), page.url_path)
    known_routes.put(request.path_info, _site_key(site), known)


class KnownRouteMiddleware:
    """``route_known`` before the view (with the site this process keeps for the request:
    ``sites.attach``), ``remember_route`` after it (for answers 200)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sites.attach(request)
        route_known(request)
        response = self.get_response(request)
        if response.status_code == 200:
            remember_route(request)
        return response
