"""Rendition specs shared by templates and the queries that prefetch their renditions."""


def avif_specs(specs) -> tuple[str, ...]:
    """The AVIF renditions of ``specs`` (``width-800`` → ``width-800|format-avif``), which
    ``avif_picture`` offers in front of the site's WebP."""
    return tuple(f"{spec}|format-avif" for spec in specs)
