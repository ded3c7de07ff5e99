"""No input gives a server error: every public URL pattern of the URLconf (and the home
page's routes) is requested with generated path arguments and query values - huge numbers,
impossible dates, unicode - and must answer below 500."""

import re
from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redaktion.ads.forms import DecisionForm
from redaktion.news.models import HomePage
from redaktion.news.tests.newsroom import build_brand, build_newsroom, build_ressorts
from redaktion.notifications.forms import ManagePageQuery
from redaktion.search.forms import SearchForm

# Not the public site: the editors' admin and the documents behind its permissions.
PRIVATE_PREFIXES = ("admin/", "documents/")
# The load balancer's readiness check answers 503 by design while something it checks is down.
READINESS = {"readyz"}
PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")

numbers = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from([0, 1, 12, 13, 999, 1000, 9998, 9999, 10000, 2**31, 2**63, 10**30]),
).map(str)
days = st.one_of(
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(str),
    st.sampled_from(["9999-12-31", "0001-01-01", "0000-00-00", "2026-02-30", "2026-13-01"]),
)
words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=40)
slugs = st.one_of(st.from_regex(r"[-a-zA-Z0-9_]{1,60}", fullmatch=True), words)
values = st.one_of(numbers, days, words, slugs)
QUERY_NAMES = sorted(
    {"page"}
    | set(SearchForm.base_fields)
    | set(DecisionForm.base_fields)
    | set(ManagePageQuery.base_fields)
)
queries = st.dictionaries(st.sampled_from(QUERY_NAMES), values, max_size=4)


def public_routes(patterns=None, prefix=""):
    """``(route, converters)`` of every public pattern, regex patterns as regexes."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        pattern = entry.pattern
        part = pattern._route if isinstance(pattern, RoutePattern) else pattern._regex
        if isinstance(pattern, RegexPattern):
            part = part.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
        route = prefix + part
        if route.startswith(PRIVATE_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            yield from public_routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, isinstance(pattern, RegexPattern)


def home_routes():
    for entry in HomePage.get_subpage_urls():
        yield entry.pattern._route, False


ROUTES = sorted(set(public_routes()) | set(home_routes()))


def path_for(route: str, is_regex: bool, data) -> str:
    if is_regex:
        return "/" + data.draw(st.from_regex(route, fullmatch=True).filter(lambda p: "\n" not in p))

    def value(match):
        converter = match.group("converter") or "str"
        strategy = {"int": numbers.filter(lambda n: not n.startswith("-")), "slug": slugs}
        return data.draw(strategy.get(converter, st.one_of(values, words)).filter(bool))

    return "/" + PARAMETER.sub(value, route)


@pytest.fixture(scope="module")
def newsroom_once(module_db, django_db_blocker):
    home_page = HomePage.objects.get(depth=2)
    build_newsroom(home_page, build_brand(), build_ressorts(home_page))


def test_every_public_pattern_is_covered():
    routes = {route for route, _ in ROUTES}
    assert "archiv/<int:year>/<int:month>/" in routes
    assert "suche/" in routes
    assert "feeds/thema/<slug:slug>/feed.json" in routes
    assert not any(route.startswith("admin/") for route in routes)


@pytest.mark.parametrize(("route", "is_regex"), ROUTES, ids=[route for route, _ in ROUTES])
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), query=queries)
def test_no_input_gives_a_server_error(newsroom_once, db, client, route, is_regex, data, query):
    client.raise_request_exception = False
    url = path_for(route, is_regex, data)
    response = client.get(url, query)
    if route in READINESS:
        # Its 503 is an answer (no scheduler runs in the tests), never an error page.
        assert response.status_code in (200, 503) and "checks" in response.json(), (url, query)
        return
    assert response.status_code < 500, (url, query)


@pytest.mark.parametrize(
    "url",
    [
        "/archiv/9999/12/",
        "/archiv/99999999999/",
        "/archiv/2026/99999999999999/",
        "/archiv/0/",
        "/archiv/1/1/",
        "/suche/?q=Wahl&bis=9999-12-31",
        "/suche/?q=Wahl&von=0001-01-01",
    ],
)
def test_dates_beyond_the_calendar_are_not_found_or_ignored(newsroom_once, db, client, url):
    client.raise_request_exception = False
    assert client.get(url).status_code in (200, 404)
