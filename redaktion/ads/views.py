"""The non-cached endpoints of the ad app: decision, impression beacon, click redirect.

None of them sets or reads a cookie, and all are marked ``no-store``, so neither the page
cache nor a proxy keeps a per-reader answer. The decision reports its own server time in a
``Server-Timing`` header (``ads;dur=<ms>``), which ``bench/ads.py`` collects.
"""

import time

from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotFound, JsonResponse
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .delivery import decide
from .forms import DecisionForm
from .services import AdError, ads_click, ads_count_views

MAX_BEACON_BYTES = 8192


def _private(response):
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
def decision(request):
    """``?slot=river&slot=article_bottom&ressort=12&topic=3&topic=5`` → ``{"ads": [...]}``,
    one entry per slot: ``{"slot", "html", "token"[, "tag"]}`` or null (leave it empty).
    Bad parameters get a 400 with ``{"errors": {parameter: [message, …]}}``."""
    started = time.perf_counter()
    form = DecisionForm(request.GET)
    if not form.is_valid():
        return _private(JsonResponse({"errors": form.errors}, status=400))
    decisions = decide(
        form.cleaned_data["slot"],
        ressort_id=form.cleaned_data["ressort"],
        topic_ids=frozenset(form.cleaned_data["topic"]),
    )
    response = JsonResponse(
        {"ads": [item.as_json() if item else None for item in decisions]},
        json_dumps_params={"separators": (",", ":")},
    )
    elapsed_ms = (time.perf_counter() - started) * 1000
    response["Server-Timing"] = f"ads;dur={elapsed_ms:.3f}"
    return _private(response)


@csrf_exempt
@require_POST
def impression(request):
    """The beacon: view tokens, one per line, sent when a slot was half visible for 1 s."""
    if len(request.body) > MAX_BEACON_BYTES:
        return _private(HttpResponseBadRequest())
    tokens = request.body.decode("ascii", errors="ignore").split()
    ads_count_views(tokens=tokens, user_agent=request.headers.get("User-Agent", ""))
    return _private(HttpResponse(status=204))


@require_GET
def click(request, token):
    """Counts the click and redirects to the advertiser's page."""
    try:
        target = ads_click(token=token, user_agent=request.headers.get("User-Agent", ""))
    except AdError:
        return _private(HttpResponseNotFound())
    return _private(redirect(target))
