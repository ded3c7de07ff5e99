"""Template filters for the house formats (``06.10.2015 18:15`` in Europe/Berlin, teaser cuts),
responsive pictures, and the scripts that start after the first paint."""

from datetime import date, datetime
from functools import cache
from pathlib import Path
from urllib.parse import quote

from django import template
from django.contrib.staticfiles import finders
from django.forms.utils import flatatt
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext

from redaktion.core.images import avif_specs, renditions
from redaktion.core.scripts import LOADER_SOURCE
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


def _by_width(image, specs) -> tuple:
    """The rendition of the first spec, and one rendition per width among ``specs``: a
    picture narrower than the larger specs gives them all its own width. Uses the image's
    prefetched renditions."""
    found = renditions(image, *specs)
    by_width = {}
    for spec in specs:
        by_width.setdefault(found[spec].width, found[spec])
    return found[specs[0]], by_width


def _width_srcset(by_width: dict) -> str:
    return ", ".join(f"{rendition.url} {width}w" for width, rendition in sorted(by_width.items()))


@register.simple_tag
def srcset_img(image, *specs: str, **attributes) -> str:
    """An ``<img>`` of ``image`` at each rendition spec, the first as ``src``, with a
    ``srcset`` that names each width once (Wagtail's ``srcset_image`` would list a width
    twice for a narrow picture: invalid HTML)."""
    first, by_width = _by_width(image, specs)
    if len(by_width) > 1:
        attributes["srcset"] = _width_srcset(by_width)
    else:
        attributes.pop("sizes", None)
    return first.img_tag(attributes)


@register.simple_tag
def avif_picture(image, *specs: str, **attributes) -> str:
    """``srcset_img`` inside a ``<picture>`` whose ``<source>`` offers the same widths as
    AVIF: at the site's AVIF quality (``WAGTAILIMAGES_AVIF_QUALITY``) a picture is about a
    fifth smaller than its WebP and at least as close to the original (SSIM). Browsers
    without AVIF take the ``<img>``. Prefetch both sets (``specs`` and ``avif_specs(specs)``)."""
    _, by_width = _by_width(image, avif_specs(specs))
    source = {"type": "image/avif", "srcset": _width_srcset(by_width)}
    if len(by_width) > 1 and attributes.get("sizes"):
        source["sizes"] = attributes["sizes"]
    return format_html(
        "<picture><source{}>{}</picture>", flatatt(source), srcset_img(image, *specs, **attributes)
    )


@register.simple_tag
def after_paint_loader() -> str:
    """The inline script that starts the page's ``after_paint_script`` tags once the page has
    been parsed and painted (``redaktion.core.scripts``); the CSP allows it by its hash."""
    return mark_safe(f"<script>{LOADER_SOURCE}</script>")  # noqa: S308 - a file of the site


@register.simple_tag
def after_paint_script(path: str) -> str:
    """The static script ``path``, started by ``after_paint_loader`` after the first paint."""
    return format_html(
        '<template data-after-paint><script src="{}"></script></template>', static(path)
    )


@register.simple_tag
@cache
def svg_data_uri(path: str) -> str:
    """The static SVG ``path`` as a ``data:`` address, for the icon: part of the page, so a
    first visit makes no request for it (the CSP allows ``data:`` images)."""
    svg = Path(finders.find(path)).read_text().strip()
    return "data:image/svg+xml," + quote(svg, safe="/=:;,.'()-")
