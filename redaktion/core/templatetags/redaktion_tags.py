"""Template filters for the house formats: ``06.10.2015 18:15`` in Europe/Berlin, teaser cuts."""

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.translation import pgettext

from redaktion.core.text import teaser_cut

register = template.Library()


def _local(value):
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def datum(value) -> str:
    """``24.04.2024`` for a date or datetime (in the site's time zone)."""
    if not isinstance(value, date):
        return ""
    return _local(value).strftime("%d.%m.%Y")


@register.filter
def zeitpunkt(value) -> str:
    """``06.10.2015 18:15`` for a datetime, in the site's time zone."""
    if not isinstance(value, datetime):
        return datum(value)
    return _local(value).strftime("%d.%m.%Y %H:%M")


@register.filter
def uhrzeit(value) -> str:
    """``18:15 Uhr``: the time of day of a datetime in the site's time zone (a ticker entry)."""
    if not isinstance(value, datetime):
        return ""
    return pgettext("time of day", "%(time)s h") % {"time": _local(value).strftime("%H:%M")}


@register.filter
def zeitpunkt_genau(value) -> str:
    """``06.10.2015 18:15:00``: to the second, where the second counts (an embargo, a
    scheduled go-live or expiry); in the site's time zone."""
    if not isinstance(value, datetime):
        return datum(value)
    return _local(value).strftime("%d.%m.%Y %H:%M:%S")


@register.filter
def iso(value) -> str:
    """ISO 8601 with offset, to the second, for ``<time datetime>`` and structured data.

    Whole seconds because HTML's datetime syntax allows at most three fractional digits and
    Python would print six for any timestamp taken from the clock.
    """
    if isinstance(value, datetime):
        return _local(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return ""


@register.filter
def teaser(value, limit=None) -> str:
    """Text cut at a word boundary to about 150 characters, ending in ``...``."""
    return teaser_cut(str(value or ""), int(limit) if limit else 150)


@register.simple_tag
def srcset_img(image, *specs: str, **attributes) -> str:
    """An ``<img>`` of ``image`` at each rendition spec, the first as ``src``, with a
    ``srcset`` that names each width once: a picture narrower than the larger specs gives
    them all its own width, which Wagtail's ``srcset_image`` would list twice (invalid
    HTML). Uses the image's prefetched renditions."""
    renditions = image.get_renditions(*specs)
    by_width = {}
    for spec in specs:
        by_width.setdefault(renditions[spec].width, renditions[spec])
    if len(by_width) > 1:
        attributes["srcset"] = ", ".join(
            f"{rendition.url} {width}w" for width, rendition in sorted(by_width.items())
        )
    else:
        attributes.pop("sizes", None)
    return renditions[specs[0]].img_tag(attributes)
