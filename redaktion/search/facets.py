"""Links of the results page: facet options, the chosen filters and the sort order.

Every link keeps the query and the other filters and drops the page number (a new filter
starts at page one).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

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


def _url(request, changes: dict) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


def _top(counts: dict, limit: int = FACET_LENGTH):
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


def groups(request, results, ressort_list) -> list[Group]:
    """The facet groups with at least one option: Ressort, year, topic, author."""
    params = request.GET
    facets = results.facets
    by_id = {r.pk: r for r in ressort_list}
    ressorts = Group("ressort", _("Ressort"))
    for pk, count in _top(facets.ressorts, len(facets.ressorts)):
        ressort = by_id.get(pk)
        if ressort is not None:
            ressorts.options.append(
                Option(
                    ressort.title,
                    count,
                    _url(request, {"ressort": ressort.slug}),
                    params.get("ressort") == ressort.slug,
                )
            )
    years = Group("jahr", _("Year"))
    for year, count in sorted(facets.years.items(), reverse=True):
        start, end = f"{year}-01-01", f"{year}-12-31"
        years.options.append(
            Option(
                str(year),
                count,
                _url(request, {"von": start, "bis": end}),
                params.get("von") == start and params.get("bis") == end,
            )
        )
    topics = Group("thema", _("Topic"))
    for pk, count in _top(facets.topics):
        topic = results.topics.get(pk)
        if topic is not None:
            topics.options.append(
                Option(
                    topic.name,
                    count,
                    _url(request, {"thema": topic.slug}),
                    params.get("thema") == topic.slug,
                )
            )
    authors = Group("autor", _("Author"))
    for pk, count in _top(facets.authors):
        author = results.authors.get(pk)
        if author is not None:
            authors.options.append(
                Option(
                    author.name,
                    count,
                    _url(request, {"autor": author.slug}),
                    params.get("autor") == author.slug,
                )
            )
    return [group for group in (ressorts, years, topics, authors) if group.options]


def chosen_filters(request, chosen: dict) -> list[Chosen]:
    labels = {
        "ressort": _("Ressort"),
        "thema": _("Topic"),
        "autor": _("Author"),
        "von": _("From"),
        "bis": _("Until"),
    }
    return [Chosen(labels[key], value, _url(request, {key: None})) for key, value in chosen.items()]


def order_links(request, order: str) -> list[Option]:
    return [
        Option(_("Relevance"), 0, _url(request, {"sort": None}), order == "relevance"),
        Option(_("Newest first"), 0, _url(request, {"sort": "datum"}), order == "date"),
    ]


def pagination(request, page) -> dict:
    """Links to the previous and next page of results, keeping query and filters."""
    return {
        "page": page,
        "previous": _url(request, {"page": page.number - 1 if page.number > 2 else None})
        if page.has_previous
        else None,
        "next": _url(request, {"page": page.number + 1}) if page.has_next else None,
    }
