"""Links of the results page: facet options, the chosen filters and the sort order.

Every link keeps the query and the other valid filters and drops the page number (a new
filter starts at page one).
"""

from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.translation import gettext as _

from .forms import NEWEST_FIRST
from .selectors import FACET_LENGTH


@dataclass
class Option:
    label: str
    count: int
    url: str
    active: bool = False


@dataclass
class Group:
    key: str
    label: str
    options: list[Option] = field(default_factory=list)


@dataclass
class Chosen:
    label: str
    value: str
    remove_url: str


@dataclass
class Links:
    """The results page at ``path`` with ``params`` (the request's, without the page number
    and the values that are not valid: ``SearchForm.link_params``)."""

    path: str
    params: QueryDict

    def url(self, changes: dict) -> str:
        """This page with ``changes`` to the parameters (``None`` removes one)."""
        params = self.params.copy()
        for key, value in changes.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = value
        encoded = params.urlencode()
        return f"{self.path}?{encoded}" if encoded else self.path


def _top(counts: dict, limit: int = FACET_LENGTH):
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


def _group(links: Links, key: str, label: str, counts, by_id: dict, name: str) -> Group:
    """Options of the objects in ``by_id`` (Ressorts, topics, authors) as ``counts`` list
    them, labelled by their attribute ``name`` and chosen by their slug."""
    group = Group(key, label)
    for pk, count in counts:
        item = by_id.get(pk)
        if item is not None:
            url = links.url({key: item.slug})
            group.options.append(
                Option(getattr(item, name), count, url, links.params.get(key) == item.slug)
            )
    return group


def groups(links: Links, results, ressort_list) -> list[Group]:
    """The facet groups with at least one option: Ressort, year, topic, author."""
    facets = results.facets
    ressorts = _group(
        links,
        "ressort",
        _("Ressort"),
        _top(facets.ressorts, len(facets.ressorts)),
        {r.pk: r for r in ressort_list},
        "title",
    )
    years = Group("jahr", _("Year"))
    for year, count in sorted(facets.years.items(), reverse=True):
        start, end = f"{year}-01-01", f"{year}-12-31"
        years.options.append(
            Option(
                str(year),
                count,
                links.url({"von": start, "bis": end}),
                links.params.get("von") == start and links.params.get("bis") == end,
            )
        )
    topics = _group(links, "thema", _("Topic"), _top(facets.topics), results.topics, "name")
    authors = _group(links, "autor", _("Author"), _top(facets.authors), results.authors, "name")
    return [group for group in (ressorts, years, topics, authors) if group.options]


def chosen_filters(links: Links, chosen: dict) -> list[Chosen]:
    labels = {
        "ressort": _("Ressort"),
        "thema": _("Topic"),
        "autor": _("Author"),
        "von": _("From"),
        "bis": _("Until"),
    }
    return [Chosen(labels[key], value, links.url({key: None})) for key, value in chosen.items()]


def order_links(links: Links, order: str) -> list[Option]:
    return [
        Option(_("Relevance"), 0, links.url({"sort": None}), order == "relevance"),
        Option(_("Newest first"), 0, links.url({"sort": NEWEST_FIRST}), order == "date"),
    ]


def pagination(links: Links, page) -> dict:
    """Links to the previous and next page of results, keeping query and filters."""
    return {
        "page": page,
        "previous": links.url({"page": page.number - 1 if page.number > 2 else None})
        if page.has_previous
        else None,
        "next": links.url({"page": page.number + 1}) if page.has_next else None,
    }
