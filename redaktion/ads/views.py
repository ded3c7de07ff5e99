"""The non-cached endpoints of the ad app: decision, impression beacon, click redirect, and
the frame a third-party tag runs in.

None of them sets or reads a cookie, and all are marked ``no-store``, so neither the page
cache nor a proxy keeps a per-reader answer. The decision reports its own server time in a
``Server-Timing`` header (``ads;dur=<ms>``), which ``bench/ads.py`` collects.
"""

import time

from csp.decorators import csp
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotFound, JsonResponse
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .delivery import decide
from .forms import DecisionForm
from .models import Creative, CreativeKind
from .services import AdError, ads_click, ads_count_views

MAX_BEACON_BYTES = 8192
# A third-party tag may load anything from anywhere, but only inside this document: sandboxed
# (an opaque origin: no cookies, no access to the page), framed by the site alone. The site's
# own policy allows no foreign script, and a srcdoc frame would inherit it.
TAG_FRAME_POLICY = {
    "default-src": ["*", "data:", "blob:"],
    "script-src": ["*", "data:", "blob:", "'unsafe-inline'", "'unsafe-eval'"],
    "style-src": ["*", "'unsafe-inline'"],
    "img-src": ["*", "data:", "blob:"],
    "sandbox": ["allow-scripts", "allow-popups", "allow-popups-to-escape-sandbox"],
    "frame-ancestors": ["'self'"],
}


def _private(response):
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
def decision(request):
    """``?slot=river&slot=article_bottom&ressort=12&topic=3&width=358&width=300`` →
    ``{"ads": [...]}``,
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
        widths=form.cleaned_data["width"],
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


@require_GET
@csp(TAG_FRAME_POLICY)
def frame(request, creative_id):
    """The document of a third-party tag, for the sandboxed frame ``ads.js`` opens after the
    reader's consent."""
    tag = (
        Creative.objects.filter(pk=creative_id, kind=CreativeKind.TAG)
        .values_list("tag_html", flat=True)
        .first()
    )
    if not tag:
        return _private(HttpResponseNotFound())
    document = f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>{tag}</body></html>'
    return _private(HttpResponse(document))
