"""Request input of the search: the results page's query, page, filters and order, and the
suggestions' query.

The field names are the parameters of the public URLs (``/suche/?q=…&thema=…&von=…``). A
value that is not valid is left out with a message that says so (the page shows the rest:
results without the broken filter, in order of relevance); only a page number that is no
page is answered with 404, as a page beyond the last one is.
"""

from datetime import date, datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import slug_unicode_re
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from redaktion.news.models import Author, Topic

from .backends import Filters

MAX_QUERY_LENGTH = 200
# The order parameter's one value; without it the results are in order of relevance.
NEWEST_FIRST = "datum"
# The days a date filter can take: the day after ``bis`` and the start of ``von`` in UTC
# must be dates as well.
FIRST_DAY, LAST_DAY = date(1, 1, 2), date(9999, 12, 30)


class SlugChoiceField(forms.ModelChoiceField):
    """An object named by its slug in the URL: one query. A value that cannot be a slug is
    refused before it reaches the database (PostgreSQL rejects a NUL character, for one)."""

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, to_field_name="slug", required=False, **kwargs)

    def to_python(self, value):
        if value not in self.empty_values and not slug_unicode_re.match(str(value)):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class DayField(forms.DateField):
    """A day as ``YYYY-MM-DD``, the value of ``<input type="date">``."""

    def __init__(self, **kwargs):
        super().__init__(required=False, input_formats=["%Y-%m-%d"], **kwargs)

    def validate(self, value):
        super().validate(value)
        if value and not FIRST_DAY <= value <= LAST_DAY:
            raise ValidationError(self.error_messages["invalid"], code="invalid")


class QueryForm(forms.Form):
    """What the reader typed: ``q``, stripped, at most ``MAX_QUERY_LENGTH`` characters."""

    q = forms.CharField(
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _(
                "Your search is too long: please use at most %(limit_value)d characters."
            )
        },
    )

    @property
    def text(self) -> str:
        """The valid query ("" when there is none); call after ``is_valid()``."""
        return self.cleaned_data.get("q") or ""


class SearchForm(QueryForm):
    """The results page: query, page number, order and the filters by Ressort, topic,
    author and publication date. ``ressorts`` are the Ressorts of the menu: a Ressort is
    found among them without a query."""

    page = forms.IntegerField(required=False, min_value=1)
    sort = forms.ChoiceField(
        required=False,
        choices=[(NEWEST_FIRST, _("Newest first"))],
        error_messages={
            "invalid_choice": _("There is no such order: the results are in order of relevance.")
        },
    )
    ressort = forms.TypedChoiceField(
        required=False,
        empty_value=None,
        error_messages={
            "invalid_choice": _(
                "There is no such Ressort: the results are shown without this filter."
            )
        },
    )
    thema = SlugChoiceField(
        Topic.objects.all(),
        error_messages={
            "invalid_choice": _(
                "There is no such topic: the results are shown without this filter."
            )
        },
    )
    autor = SlugChoiceField(
        Author.objects.all(),
        error_messages={
            "invalid_choice": _(
                "There is no such author: the results are shown without this filter."
            )
        },
    )
    von = DayField(
        error_messages={
            "invalid": _(
                "“From” takes a date such as 2024-05-31: the results are shown without it."
            )
        },
    )
    bis = DayField(
        error_messages={
            "invalid": _(
                "“Until” takes a date such as 2024-05-31: the results are shown without it."
            )
        },
    )

    def __init__(self, data, *, ressorts):
        super().__init__(data)
        by_slug = {}
        for ressort in ressorts:
            by_slug.setdefault(ressort.slug, ressort)
        field = self.fields["ressort"]
        field.choices = [(slug, ressort.title) for slug, ressort in by_slug.items()]
        field.coerce = by_slug.__getitem__

    @property
    def page_number(self) -> int:
        return self.cleaned_data.get("page") or 1

    @property
    def order(self) -> str:
        """``date`` (newest first) or ``relevance``."""
        return "date" if self.cleaned_data.get("sort") == NEWEST_FIRST else "relevance"

    def filters(self) -> Filters:
        """The valid filters for the index; a date range covers whole days in the site's
        time zone (``bis`` included)."""
        data = self.cleaned_data
        tz = timezone.get_current_timezone()
        filters = Filters()
        if data.get("ressort"):
            filters.ressort_id = data["ressort"].pk
        if data.get("thema"):
            filters.topic_id = data["thema"].pk
        if data.get("autor"):
            filters.author_id = data["autor"].pk
        if data.get("von"):
            filters.published_from = datetime.combine(data["von"], time.min, tzinfo=tz)
        if data.get("bis"):
            filters.published_before = datetime.combine(
                data["bis"] + timedelta(days=1), time.min, tzinfo=tz
            )
        return filters

    def chosen(self) -> dict:
        """The valid filters the reader chose, by parameter, as the page names them: the
        Ressort's title, the topic's and the author's name, the days."""
        data = self.cleaned_data
        chosen = {}
        if data.get("ressort"):
            chosen["ressort"] = data["ressort"].title
        for key in ("thema", "autor"):
            if data.get(key):
                chosen[key] = data[key].name
        for key in ("von", "bis"):
            if data.get(key):
                chosen[key] = data[key]
        return chosen

    def notices(self) -> list[str]:
        """What the page says about the values it left out (the page number is answered
        with 404 instead)."""
        return [
            message for name, errors in self.errors.items() if name != "page" for message in errors
        ]

    def link_params(self) -> QueryDict:
        """The parameters the page's links keep: those of the request without the page
        number and without the values that are not valid."""
        params = self.data.copy()
        for name in ("page", *self.errors):
            params.pop(name, None)
        return params


class QueryLogForm(forms.Form):
    """A query log beacon's body: ``q`` (the query), ``n`` (its number of results) and, for a
    click, ``r`` (the rank of the clicked result)."""

    q = forms.CharField(max_length=500)
    n = forms.IntegerField(min_value=0, max_value=10_000_000)
    r = forms.IntegerField(min_value=1, max_value=10_000, required=False)
