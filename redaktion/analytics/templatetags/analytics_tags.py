"""``{% most_read_box %}``: the "Meistgelesen" box of the last 24 hours, and
``{% read_beacon page %}``: what ``analytics/reads.js`` needs to count a read of the article.

The box is a fragment shared by every page of its scope (the site, or one Ressort), built
anew every ``MOST_READ_REFRESH_SECONDS`` and when editors exclude an article (``most-read``
key); the articles in it name their own keys, so one unpublished leaves it at once.
"""

from django import template
from django.conf import settings
from django.urls import reverse

from redaktion.core import surrogate
from redaktion.core.fragments import fragment
from redaktion.core.useragents import counts_as_reader

from .. import selectors
from ..keys import MOST_READ
from ..views import refresh_slot

register = template.Library()


@register.inclusion_tag("analytics/includes/most_read_box.html", takes_context=True)
def most_read_box(context, ressort=None):
    """The box for the page: the site's list, or ``ressort``'s list on a Ressort page (pass
    the Ressort). Costs no query on a warm cache."""
    request = context.get("request")
    ressort_list = context.get("ressorts")
    surrogate.add_keys(request, MOST_READ)
    scope = ressort.pk if ressort is not None else "site"
    articles = fragment(
        f"most-read:box:{scope}:{refresh_slot()}",
        lambda: selectors.most_read(ressort=ressort, ressort_list=ressort_list),
        keys=[MOST_READ],
        request=request,
    )
    return {
        "articles": articles,
        "request": request,
        "heading_id": f"most-read-{scope}",
        "week_url": reverse("analytics:most_read"),
    }


@register.inclusion_tag("analytics/includes/read_beacon.html", takes_context=True)
def read_beacon(context, page):
    """The article's beacon element and script; nothing for a page that is not counted."""
    request = context.get("request")
    return {
        "counted": counts_as_reader(request),
        "article_id": page.pk,
        "beacon_url": reverse("analytics:beacon"),
        "visible_ms": settings.READS_VISIBLE_SECONDS * 1000,
    }
