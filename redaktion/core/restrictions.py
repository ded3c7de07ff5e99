"""View restrictions (Wagtail's ``PageViewRestriction``), read once per request.

Wagtail asks the database for every view restriction each time it checks whether a page
may be served (``Page.get_view_restrictions``: the page's ancestors, then their
restrictions) and each time a listing says ``public()`` (every restriction with its page).
A reader page asks both several times (the page itself, the menu, "Mehr zum Thema", the
river). Here a ``GET``/``HEAD`` request reads them once (``request_scope``, opened by the
page-cache middleware): every restriction with its page, and the aliases of restricted
pages when there are any. Elsewhere (a ``POST``, the worker, a command) each call reads
them as Wagtail does, and a restriction saved or deleted during a request is read afresh.

``RestrictionsMixin`` (page models) and ``PublicQuerySetMixin`` (page QuerySets) answer
from it with Wagtail's meaning: a restriction on a page applies to the page and its
descendants, and to the aliases of that page and theirs.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction

SAFE_METHODS = frozenset({"GET", "HEAD"})


class Restrictions:
    """Every view restriction; the paths of the restricted pages' aliases are read when
    first needed (the serve check needs them, ``public()`` listings do not)."""

    def __init__(self, items: tuple[PageViewRestriction, ...]):
        self.items = items
        self._alias_paths: dict[int, tuple[str, ...]] | None = None

    def alias_paths(self) -> dict[int, tuple[str, ...]]:
        """Per restricted page, the tree paths of its aliases (one query, none without
        restrictions)."""
        if self._alias_paths is None:
            aliases: dict[int, list[str]] = {}
            if self.items:
                restricted = {restriction.page_id for restriction in self.items}
                rows = Page.objects.filter(alias_of_id__in=restricted).values_list(
                    "alias_of_id", "path"
                )
                for alias_of, path in rows:
                    aliases.setdefault(alias_of, []).append(path)
            self._alias_paths = {pk: tuple(paths) for pk, paths in aliases.items()}
        return self._alias_paths

    def applying_to(self, path: str) -> list[PageViewRestriction]:
        """The restrictions that apply to the page at tree ``path``."""
        if not self.items:
            return []
        aliases = self.alias_paths()
        return [
            restriction
            for restriction in self.items
            if any(
                path.startswith(root)
                for root in (restriction.page.path, *aliases.get(restriction.page_id, ()))
            )
        ]


class _Scope:
    __slots__ = ("loaded",)

    def __init__(self):
        self.loaded: Restrictions | None = None


_scope: ContextVar[_Scope | None] = ContextVar("view_restrictions", default=None)


@contextlib.contextmanager
def request_scope(request):
    """Read the restrictions at most once while ``request`` (a ``GET`` or ``HEAD``) is
    answered; other methods read them on every call."""
    if request.method not in SAFE_METHODS:
        yield
        return
    token = _scope.set(_Scope())
    try:
        yield
    finally:
        _scope.reset(token)


def _read() -> Restrictions:
    return Restrictions(tuple(PageViewRestriction.objects.select_related("page")))


def current() -> Restrictions:
    """The view restrictions: read once per request scope, otherwise on every call."""
    scope = _scope.get()
    if scope is None:
        return _read()
    if scope.loaded is None:
        scope.loaded = _read()
    return scope.loaded


def forget(**kwargs) -> None:
    """A restriction changed: the request reads them again."""
    scope = _scope.get()
    if scope is not None:
        scope.loaded = None


post_save.connect(forget, sender=PageViewRestriction, dispatch_uid="redaktion.restrictions.save")
post_delete.connect(forget, sender=PageViewRestriction, dispatch_uid="redaktion.restrictions.del")


class RestrictionsMixin:
    """For page models: ``get_view_restrictions`` (what Wagtail's serve check asks) from
    ``current()``."""

    def get_view_restrictions(self):
        if not self.path or _scope.get() is None:
            return super().get_view_restrictions()
        applying = current().applying_to(self.path)
        return PageViewRestriction.objects.filter(pk__in=[r.pk for r in applying])


class PublicQuerySetMixin:
    """For page QuerySets: ``public()`` and ``private_q()`` from ``current()``."""

    def private_q(self):
        query = Q()
        for restriction in current().items:
            query |= self.descendant_of_q(restriction.page, inclusive=True)
        return query

    def public(self):
        return self.exclude(self.private_q())
