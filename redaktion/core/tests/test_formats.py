from datetime import UTC, date, datetime

from django.template import Context, Template
from django.utils import translation

from redaktion.core.templatetags.redaktion_tags import datum, iso, zeitpunkt


def test_zeitpunkt_shows_berlin_time_in_house_format():
    # 16:15 UTC is 18:15 in Berlin during summer time.
    assert zeitpunkt(datetime(2015, 10, 6, 16, 15, tzinfo=UTC)) == "06.10.2015 18:15"
    # …and 17:15 in winter.
    assert zeitpunkt(datetime(2024, 1, 15, 16, 15, tzinfo=UTC)) == "15.01.2024 17:15"


def test_datum_formats_dates_and_datetimes():
    assert datum(date(2024, 4, 24)) == "24.04.2024"
    assert datum(datetime(2024, 4, 23, 22, 30, tzinfo=UTC)) == "24.04.2024"  # Berlin midnight
    assert datum(None) == ""


def test_iso_keeps_the_offset():
    assert iso(datetime(2015, 10, 6, 16, 15, tzinfo=UTC)) == "2015-10-06T18:15:00+02:00"


def test_iso_drops_microseconds_html_does_not_allow():
    assert iso(datetime(2015, 10, 6, 16, 15, 7, 123456, tzinfo=UTC)) == "2015-10-06T18:15:07+02:00"


def test_filters_in_templates_in_both_languages():
    template = Template("{% load redaktion_tags %}{{ when|zeitpunkt }} · {{ text|teaser:20 }}")
    context = Context(
        {
            "when": datetime(2015, 10, 6, 16, 15, tzinfo=UTC),
            "text": "Eins zwei drei vier fünf sechs",
        }
    )
    for language in ("de", "en"):
        with translation.override(language):
            assert template.render(context) == "06.10.2015 18:15 · Eins zwei drei vier..."


def test_django_date_formats_follow_the_house_format(settings):
    template = Template("{{ when|date:'SHORT_DATETIME_FORMAT' }}")
    with translation.override("de"):
        rendered = template.render(Context({"when": datetime(2015, 10, 6, 16, 15, tzinfo=UTC)}))
    assert rendered == "06.10.2015 18:15"
