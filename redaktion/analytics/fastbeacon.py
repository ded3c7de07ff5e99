"""The read beacon answered in front of Django's request handling.

A spike of readers sends a beacon for every article they read, more requests than pages
(pages come from the front cache). Through Django each beacon passes every middleware, the
URL resolver and a response object, several times the work of counting it (one or two cache
round trips). ``ReadBeaconApplication`` wraps the WSGI application (``redaktion.wsgi``, in
front of ``core.fasthit``) and answers ``POST`` to the beacon's address itself, with the
view's own code (``views.beacon_status``) and headers:

* the client address and scheme as ``TrustedProxyMiddleware`` takes them from a trusted
  proxy, so readers behind Varnish or a load balancer stay apart;
* the headers the middlewares in front of the page cache add to every answer (security
  headers, Content-Security-Policy; ``fasthit.decoration``), the view's ``no-store``
  headers, and the request id.

Django answers instead whatever it must judge: another method or address, a host not in
``ALLOWED_HOSTS``, a plain-HTTP request that ``SECURE_SSL_REDIRECT`` sends to HTTPS, a body
larger than a beacon, and a beacon that finds this process's own counts due to be written
to the database (the in-process cache; writing them is a database transaction, which
belongs inside Django's request cycle). An error in the beacon's code goes to Django too,
with the body as it was read, so it is answered and logged as any other.
"""

from __future__ import annotations

import io
import logging
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.urls import reverse

from redaktion.core.fasthit import decoration
from redaktion.core.logs import HEADER as REQUEST_ID_HEADER
from redaktion.core.logs import request_id_for
from redaktion.core.proxy import take_forwarded

from . import views

logger = logging.getLogger("redaktion.analytics")


class ReadBeaconApplication:
    """WSGI middleware: ``POST /gelesen/`` answered before ``application`` (see above)."""

    def __init__(self, application):
        self.application = application
        self._path: str | None = None

    @property
    def path(self) -> str:
        if self._path is None:
            self._path = reverse("analytics:beacon")
        return self._path

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "POST" or environ.get("PATH_INFO") != self.path:
            return self.application(environ, start_response)
        answer = self.answer(environ)
        if answer is None:
            return self.application(environ, start_response)
        status, headers = answer
        start_response(status, headers)
        return [b""]

    def answer(self, environ) -> tuple[str, list[tuple[str, str]]] | None:
        """Status line and headers of the beacon's answer; None when Django is to answer."""
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return None
        if length > views.MAX_BEACON_BYTES:
            return None
        request = WSGIRequest(dict(environ))  # its own META: Django may still get environ
        take_forwarded(request.META)
        secure = request.is_secure()
        if settings.SECURE_SSL_REDIRECT and not secure:
            return None
        try:
            request.get_host()
        except DisallowedHost:
            return None
        if views.flush_due():
            return None
        body = request.body
        try:
            status = views.beacon_status(request)
        except Exception:
            logger.exception("read beacon failed in front of Django; Django answers it")
            environ["wsgi.input"] = io.BytesIO(body)
            return None
        response = views.no_store(HttpResponse(status=status))
        headers = list(response.headers.items())
        present = {name.lower() for name, _ in headers}
        headers += [item for item in decoration(environ, secure) if item[0].lower() not in present]
        headers.append((REQUEST_ID_HEADER, request_id_for(environ)))
        headers.append(("Content-Length", "0"))
        return f"{status} {HTTPStatus(status).phrase}", headers
