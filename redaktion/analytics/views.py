"""The read beacon and the page of the week's most-read articles.

The beacon sets and reads no cookie, is marked ``no-store`` and is never cached; it answers
``204`` whether or not the view was counted, so a reader cannot tell (nor a robot learn how
to be counted). Nothing of the request is logged.
"""

import time

from django.conf import settings
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from redaktion.core import surrogate
from redaktion.core.fragments import fragment
from redaktion.core.useragents import is_bot

from . import counting, selectors, services
from .forms import BeaconForm
from .keys import MOST_READ

MAX_BEACON_BYTES = 4096
PREFETCH_HEADERS = ("Sec-Purpose", "Purpose", "X-Purpose", "X-Moz")


def is_prefetch(request) -> bool:
    """A prefetch or prerender, not a reader: ``Sec-Purpose: prefetch``, ``Purpose:
    prefetch`` and their older spellings."""
    return any(
        "prefetch" in request.headers.get(name, "").lower()
        or "preview" in request.headers.get(name, "").lower()
        for name in PREFETCH_HEADERS
    )


def no_store(response):
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@csrf_exempt
@require_POST
def beacon(request):
    """``a=<article id>&r=<referrer host>``, sent by ``analytics/reads.js`` once the article
    was visible for a few seconds (see ``beacon_status``). Under the WSGI server the beacon
    is answered in front of Django (``fastbeacon``); this view answers it under the test
    client and the development server, and wherever the front passes it on."""
    return no_store(HttpResponse(status=beacon_status(request)))


def beacon_status(request) -> int:
    """Counts one view unless the sender is a robot or a prefetch, or the same reader viewed
    the article within ``counting.REPEAT_SECONDS``; the status to answer: 204, counted or
    not, or 400 for a body that is not a beacon. A process that keeps its own counts writes
    them to the database here once they are due (``flush_due``)."""
    if len(request.body) > MAX_BEACON_BYTES:
        return 400
    user_agent = request.headers.get("User-Agent", "")
    if is_bot(user_agent) or is_prefetch(request):
        return 204
    form = BeaconForm(QueryDict(request.body, encoding="utf-8"))
    if not form.is_valid():
        return 400
    counting.record_read(
        article_id=form.cleaned_data["a"],
        address=request.META.get("REMOTE_ADDR", ""),
        user_agent=user_agent,
        referrer_host=form.cleaned_data["r"],
        now=time.time(),
    )
    if flush_due():
        services.reads_flush(store=counting.store())
    return 204


def flush_due() -> bool:
    """Whether this process keeps its own counts (the in-process cache) and they are due to
    be written to the database."""
    store = counting.store()
    return store.flushes_itself and store.due(settings.READS_FLUSH_SECONDS)


@require_GET
def most_read_week(request):
    """``/meistgelesen/``: the most-read articles of the last seven days, as teasers, and
    the topics read most in the last 24 hours; refreshed with the boxes
    (``MOST_READ_REFRESH_SECONDS``)."""
    surrogate.add_keys(request, MOST_READ)
    slot = refresh_slot()
    articles = fragment(
        f"most-read:week:{slot}",
        lambda: selectors.most_read(
            hours=selectors.WEEK_HOURS, limit=selectors.PAGE_LENGTH, teasers=True
        ),
        keys=[MOST_READ],
        request=request,
    )
    topics = fragment(
        f"most-read:topics:{slot}", selectors.trending_topics, keys=[MOST_READ], request=request
    )
    context = {"articles": articles, "topics": topics}
    return render(request, "analytics/most_read_page.html", context)


def refresh_slot() -> int:
    """The number of the current refresh period: part of a list's fragment name, so a list
    is built anew every ``MOST_READ_REFRESH_SECONDS``."""
    return int(time.time()) // settings.MOST_READ_REFRESH_SECONDS
