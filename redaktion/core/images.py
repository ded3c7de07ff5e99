"""Rendition specs shared by templates and the queries that prefetch their renditions."""

import functools

from wagtail.images.models import Filter


def avif_specs(specs) -> tuple[str, ...]:
    """The AVIF renditions of ``specs`` (``width-800`` → ``width-800|format-avif``), which
    ``avif_picture`` offers in front of the site's WebP."""
    return tuple(f"{spec}|format-avif" for spec in specs)


@functools.cache
def _filter(spec: str) -> Filter:
    return Filter(spec=spec)


def renditions(image, *specs: str) -> dict:
    """``image.get_renditions(*specs)`` (keyed by spec), with each spec's ``Filter`` made
    once per process: Wagtail parses a spec string anew on every call (each operation's
    arguments checked through ``inspect``), and a page asks for about forty renditions. The
    specs are the templates' and the ad sizes', a small fixed set."""
    return image.get_renditions(*map(_filter, specs))
