"""Logs an operator can follow: a request id on every line, and JSON lines by setting.

``RequestIdMiddleware`` gives each request an id — the ``X-Request-ID`` a trusted proxy sent
(the load balancer's, so one id runs through proxy, app and logs), else a new one — answers
with it in ``X-Request-ID`` and keeps it in a context variable for the request's duration.
``RequestIdFilter`` puts it on every log record (``-`` outside a request: the worker, a
command). ``LOG_FORMAT=json`` switches the console to ``JsonFormatter``: one JSON object a
line with time, level, logger, message, request id and, for an error, the traceback, as log
collectors (Loki, Elasticsearch, CloudWatch) read them.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from .proxy import is_trusted

HEADER = "X-Request-ID"
# A proxy's id is taken only if it looks like one (no spaces, no control characters).
VALID_ID = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")

request_id: ContextVar[str] = ContextVar("request_id", default="-")


def request_id_for(meta) -> str:
    """The id of the request whose WSGI environ is ``meta``: the ``X-Request-ID`` a trusted
    proxy sent, else a new one."""
    # Read the original peer: the proxy middleware has already replaced REMOTE_ADDR by the
    # client's address when it ran, so trust is decided on the address the request came from.
    offered = meta.get("HTTP_X_REQUEST_ID", "")
    peer = meta.get("REDAKTION_PEER_ADDR", meta.get("REMOTE_ADDR", ""))
    if offered and VALID_ID.match(offered) and is_trusted(peer):
        return offered
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_id.set(request_id_for(request.META))
        try:
            response = self.get_response(request)
            response[HEADER] = request_id.get()
            return response
        finally:
            request_id.reset(token)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
