"""The reader-side endpoints of live coverage, fetched by small scripts so that cached
pages stay the same for every reader: the Eilmeldung banner (``/live/eilmeldung/``, see
``breaking``) and the poll of a Liveticker: ``/live/<ticker id>/eintraege/?since=<entry id>``.

The answer is the same for every reader who has seen the same newest entry, so it is
public for ``LIVE_POLL_SECONDS`` (a front cache answers the crowd) and kept in the shared
cache as a fragment under the ticker's keys: a new, corrected or deleted entry purges it
(``live_services``), and a hit costs no query. A miss costs three (the view restrictions,
the ticker, the entries), whatever the ticker's length.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.http import Http404, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from redaktion.core import surrogate
from redaktion.core.fragments import fragment

from . import keys
from .breaking import BREAKING_KEY, BreakingNews
from .live import POLL_LENGTH, LiveTickerEntry, LiveTickerPage, ticker_key

MISSING = "missing"


def _since(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return number if 0 <= number < 2**62 else 0


def entries_since(ticker_id: int, since: int, request=None) -> dict | str:
    """The entries of the published ticker ``ticker_id`` newer than entry ``since``, oldest
    first, at most ``POLL_LENGTH`` (``more`` says there are others: reload), each as the
    HTML the page shows; ``MISSING`` when readers cannot see the ticker."""
    ticker = LiveTickerPage.objects.published().filter(pk=ticker_id).first()
    if ticker is None:
        return MISSING
    rows = list(
        LiveTickerEntry.objects.filter(ticker_id=ticker_id, pk__gt=since)
        .select_related("author")
        .order_by("pk")[: POLL_LENGTH + 1]
    )
    shown = rows[:POLL_LENGTH]
    return {
        "since": since,
        "latest": shown[-1].pk if shown else since,
        "more": len(rows) > POLL_LENGTH,
        "closed": ticker.is_closed,
        "entries": [
            {
                "id": entry.pk,
                "html": render_to_string(
                    "news/includes/live_entry.html", {"entry": entry, "show_date": True}, request
                ),
            }
            for entry in shown
        ],
    }


# Page ids are 32-bit integers; a larger number in the path names no ticker.
MAX_PAGE_ID = 2**31 - 1


@require_GET
def live_entries(request, ticker_id: int):
    if ticker_id > MAX_PAGE_ID:
        raise Http404("No such live ticker")
    since = _since(request.GET.get("since"))
    answer = fragment(
        f"live:{ticker_id}:{since}",
        lambda: entries_since(ticker_id, since, request),
        keys=[ticker_key(ticker_id), keys.article(ticker_id)],
        request=request,
    )
    if answer == MISSING:
        raise Http404("No such live ticker")
    surrogate.add_keys(request, ticker_key(ticker_id), keys.article(ticker_id))
    response = JsonResponse(answer)
    seconds = settings.LIVE_POLL_SECONDS
    patch_cache_control(response, public=True, max_age=seconds, s_maxage=seconds)
    return response


def _banners() -> list[dict]:
    """The banners not yet ended (the current one and those planned), newest start first."""
    return [b.as_json() for b in BreakingNews.objects.filter(ends_at__gt=timezone.now())[:10]]


@require_GET
def breaking_news(request):
    """The Eilmeldung showing now, ``{}`` when none: public for ``BREAKING_SECONDS`` but
    never past the banner's end or a planned banner's start; purged by key ``eilmeldung``
    when a banner is saved or deleted. A hit costs no query."""
    now = timezone.now()
    banners = fragment("breaking", _banners, keys=[BREAKING_KEY], request=request)
    seconds = settings.BREAKING_SECONDS
    answer = {}
    for banner in banners:
        starts_at = datetime.fromisoformat(banner["starts_at"])
        ends_at = datetime.fromisoformat(banner["ends_at"])
        if starts_at > now:
            seconds = min(seconds, int((starts_at - now).total_seconds()))
        elif ends_at > now and not answer:
            answer = {"text": banner["text"], "url": banner["url"], "ends_at": banner["ends_at"]}
            seconds = min(seconds, int((ends_at - now).total_seconds()))
    surrogate.add_keys(request, BREAKING_KEY)
    response = JsonResponse(answer)
    seconds = max(1, seconds)
    patch_cache_control(response, public=True, max_age=seconds, s_maxage=seconds)
    return response
