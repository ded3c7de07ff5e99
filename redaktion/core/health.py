"""Health endpoints for load balancers and monitors.

* ``/healthz``: the process answers (liveness). Touches nothing else, so a database outage
  does not make an orchestrator restart every web process.
* ``/readyz``: the site can serve and its background work runs (readiness): the database
  answers, the cache takes a write and gives it back, and every check an app registered
  holds (the desk registers the worker's scheduler heartbeat). 200 with each check's
  result as JSON, or 503 naming what failed.

Both are ``no-store`` and bypass the page cache (``PAGE_CACHE_SKIP_PATHS``). Apps add checks
with :func:`register_check` from their ``ready()``; core knows none of them.
"""

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

logger = logging.getLogger("redaktion.core")

CACHE_PROBE_KEY = "redaktion:readyz"


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    detail: str = ""


_checks: dict[str, Callable[[], CheckResult]] = {}


def register_check(name: str, check: Callable[[], CheckResult]) -> None:
    """Add a readiness check; registering the same name again replaces it."""
    _checks[name] = check


def _database() -> CheckResult:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return CheckResult(True)


def _cache() -> CheckResult:
    token = secrets.token_hex(8)
    cache.set(CACHE_PROBE_KEY, token, timeout=30)
    if cache.get(CACHE_PROBE_KEY) != token:
        return CheckResult(False, "the cache did not return what was written")
    return CheckResult(True)


register_check("database", _database)
register_check("cache", _cache)


def run_checks() -> dict[str, CheckResult]:
    results = {}
    for name, check in _checks.items():
        try:
            results[name] = check()
        except Exception as exc:  # an outage of any kind is a failed check, not a 500
            logger.warning("Readiness check %s failed: %s", name, exc)
            results[name] = CheckResult(False, f"{type(exc).__name__}: {exc}")
    return results


def _answer(payload: dict, status: int) -> JsonResponse:
    response = JsonResponse(payload, status=status)
    add_never_cache_headers(response)
    return response


@require_safe
def healthz(request):
    return _answer({"status": "ok"}, 200)


@require_safe
def readyz(request):
    results = run_checks()
    ready = all(result.ok for result in results.values())
    payload = {
        "status": "ok" if ready else "unavailable",
        "checks": {
            name: {"ok": result.ok, **({"detail": result.detail} if result.detail else {})}
            for name, result in results.items()
        },
    }
    return _answer(payload, 200 if ready else 503)
