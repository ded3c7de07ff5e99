"""A teaser's HTML, rendered once per article instance and kept on it.

Most of a listing page's render is its teasers (a picture with its renditions, two page
URLs, the dates), and the same articles are shown on many pages: the river under every
article, the home page's blocks, a Ressort's pages. ``render`` keeps each rendered form of
a teaser on the article instance it was rendered for; a listing kept in the shared cache
(``core.fragments``) renders its teasers before it is stored (``prerender``), so a page
built from the cached list writes out stored HTML. The stored HTML is purged with the list
it belongs to: it shows only the article (``article-<id>``, named when the article was
loaded), its Ressort and the brand (``site``), which the list's keys cover.

A teaser with search highlights (``highlighted_title``/``highlighted_lead``) is rendered
each time: it belongs to one query.
"""

from __future__ import annotations

from django.template import RequestContext
from django.template.loader import get_template
from django.utils.safestring import SafeString

from redaktion.core.fragments import fragments_enabled

TEMPLATES = {
    "teaser": "news/includes/teaser.html",
    "lead": "news/includes/lead_story.html",
}
# The options of news/includes/teaser.html; each is set (None when not given), so a
# variable of the surrounding page with the same name never reaches the teaser.
OPTIONS = ("heading", "image", "compact", "sizes")
ATTRIBUTE = "rendered_teasers"


def _variant(kind: str, options: dict) -> tuple:
    unknown = set(options) - set(OPTIONS)
    if kind not in TEMPLATES or unknown:
        raise ValueError(f"no teaser {kind!r} with {sorted(unknown)}")
    return (kind, *((name, options.get(name)) for name in OPTIONS))


HIGHLIGHTS = ("highlighted_title", "highlighted_lead")


def _highlights(article) -> dict:
    return {name: getattr(article, name, None) for name in HIGHLIGHTS}


def render(context, article, kind: str = "teaser", **options) -> SafeString:
    """The HTML of ``article`` as a ``kind`` teaser (``TEMPLATES``) with ``options``, in the
    template ``context`` of the page; rendered at most once per instance and variant."""
    variant = _variant(kind, options)
    rendered = article.__dict__.setdefault(ATTRIBUTE, {})
    html = rendered.get(variant)
    if html is None:
        template = context.template.engine.get_template(TEMPLATES[kind])
        highlights = _highlights(article)
        with context.push(article=article, **highlights, **dict(variant[1:])):
            html = template.render(context)
        if not any(highlights.values()):
            rendered[variant] = html
    return html


def prerender(request, articles, kind: str = "teaser", **options):
    """Render ``articles`` (a list, returned) as ``kind`` teasers with ``options`` for
    ``request``, before a listing holding them is stored in the cache, and let go of their
    pictures; the context processors run once for the whole list. Without the fragment
    cache nothing is stored, and each teaser is rendered where a page shows it (a river
    shows fewer than it holds)."""
    articles = list(articles)
    if not articles or not fragments_enabled(request):
        return articles
    template = get_template(TEMPLATES[kind]).template
    context = RequestContext(request)
    with context.bind_template(template):
        for article in articles:
            render(context, article, kind, **options)
            # Stored, the teaser is read as HTML: without its picture (the image and its
            # renditions, most of a pickled article) the list is read back ten times faster.
            article._state.fields_cache.pop("lead_image", None)
    return articles


def prerender_listing(request, page):
    """``prerender`` for a page of teasers (``listings.paginate``) as
    news/includes/listing.html shows it: on the first page the newest as the lead, every
    other as a teaser with an ``h2``. Returns ``page``."""
    articles = list(page.object_list)
    if page.number == 1:
        prerender(request, articles[:1], "lead")
        articles = articles[1:]
    prerender(request, articles, heading="h2")
    return page
