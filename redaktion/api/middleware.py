"""The gate of ``/api/``: CORS and the rate limit, in front of the page cache (so a cached
answer counts against the limit too and carries the CORS headers of its request).

* **CORS**: ``API_CORS_ORIGINS`` lists the origins whose pages may read the API in a
  browser (``*``, the default: any). A preflight (``OPTIONS`` with
  ``Access-Control-Request-Method``) is answered here.
* **Keys**: a request may name its key in ``X-API-Key``; an unknown or revoked key gets a
  401, not the anonymous limit (a partner should notice). Without a key the anonymous limit
  (``API_RATE_LIMIT_ANONYMOUS`` requests per minute and reader) applies.
* **Limit**: over the limit, ``429`` with ``Retry-After``; every answer says its limit in
  ``X-RateLimit-Limit``. These headers are added outside the page cache and never stored.
"""

import time

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.cache import patch_vary_headers

from . import services

API_PREFIX = "/api/"
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
ALLOWED_HEADERS = "X-API-Key, If-None-Match, If-Modified-Since"
PREFLIGHT_SECONDS = 86400


def _cors(request, response):
    origin = request.headers.get("Origin")
    allowed = list(settings.API_CORS_ORIGINS)
    if "*" in allowed:
        response["Access-Control-Allow-Origin"] = "*"
    elif origin and origin in allowed:
        response["Access-Control-Allow-Origin"] = origin
        patch_vary_headers(response, ["Origin"])
    response["Access-Control-Expose-Headers"] = "ETag, Retry-After, X-RateLimit-Limit"
    return response


class ApiGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response["Access-Control-Max-Age"] = str(PREFLIGHT_SECONDS)
            return _cors(request, response)
        now = time.time()
        raw = request.headers.get("X-API-Key", "").strip()
        if raw:
            limit = services.key_limit(raw)
            if limit is None:
                response = JsonResponse({"detail": "Unknown or revoked API key."}, status=401)
                return _cors(request, response)
        else:
            limit = services.anonymous_limit(request.META.get("REMOTE_ADDR", ""), now)
        allowed, retry_after = services.rate_take(limit, now)
        if not allowed:
            response = JsonResponse({"detail": "Rate limit exceeded."}, status=429)
            response["Retry-After"] = str(retry_after)
        else:
            response = self.get_response(request)
        response["X-RateLimit-Limit"] = str(limit.per_minute)
        return _cors(request, response)
