"""Request ids on responses and log lines, and JSON lines by setting."""

import json
import logging
import sys

import pytest
from django.test import override_settings

from redaktion.core import health
from redaktion.core.logs import JsonFormatter, RequestIdFilter, request_id
from redaktion.settings import base

pytestmark = pytest.mark.django_db


def test_every_response_carries_a_fresh_request_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second


@override_settings(TRUSTED_PROXIES=["10.0.0.1"])
def test_a_trusted_proxys_id_is_kept_anyone_elses_is_not(client):
    via_proxy = client.get("/healthz", HTTP_X_REQUEST_ID="lb-4711", REMOTE_ADDR="10.0.0.1")
    assert via_proxy["X-Request-ID"] == "lb-4711"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="lb-4711", REMOTE_ADDR="203.0.113.9")
    assert forged["X-Request-ID"] != "lb-4711"
    garbage = client.get("/healthz", HTTP_X_REQUEST_ID="a b\r\nc", REMOTE_ADDR="10.0.0.1")
    assert garbage["X-Request-ID"] != "a b\r\nc"


def test_log_lines_of_a_request_carry_its_id(client, monkeypatch):
    lines = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(record)

    collect = Collect()
    collect.addFilter(RequestIdFilter())
    logger = logging.getLogger("redaktion.core")
    logger.addHandler(collect)
    monkeypatch.setitem(
        health._checks,
        "database",
        lambda: logger.warning("inside the request") or health.CheckResult(True),
    )
    try:
        response = client.get("/readyz")
    finally:
        logger.removeHandler(collect)

    [line] = [r for r in lines if r.getMessage() == "inside the request"]
    assert line.request_id == response["X-Request-ID"]
    assert request_id.get() == "-"  # reset after the request
    # The console format of the settings (the test settings log nothing) prints it.
    plain = logging.Formatter(base.LOGGING["formatters"]["plain"]["format"])
    assert f"[{line.request_id}]: inside the request" in plain.format(line)
    assert base.LOGGING["handlers"]["console"]["filters"] == ["request_id"]


def test_json_lines_for_a_log_collector():
    try:
        raise ValueError("kaputt")
    except ValueError:
        record = logging.LogRecord(
            "redaktion.core", logging.ERROR, __file__, 1, "Fehler bei %s", ("Äpfeln",), None
        )
        record.exc_info = sys.exc_info()
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "ERROR" and line["logger"] == "redaktion.core"
    assert line["message"] == "Fehler bei Äpfeln" and line["request_id"] == "-"
    assert "ValueError: kaputt" in line["traceback"]
    assert line["time"].endswith("+00:00")
