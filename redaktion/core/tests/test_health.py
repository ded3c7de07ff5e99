"""``/healthz`` and ``/readyz`` as a load balancer sees them."""

import pytest
from django.test import override_settings
from django.utils import timezone

from redaktion.core import health
from redaktion.desk.models import SchedulerHeartbeat

pytestmark = pytest.mark.django_db


def heartbeat(age_seconds: float):
    SchedulerHeartbeat.objects.update_or_create(
        pk=SchedulerHeartbeat.SINGLETON_PK,
        defaults={"last_run_at": timezone.now() - timezone.timedelta(seconds=age_seconds)},
    )


def test_healthz_answers_without_asking_anything_else(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_ready_when_database_cache_and_scheduler_answer(client):
    heartbeat(age_seconds=5)

    response = client.get("/readyz")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert {name for name, check in body["checks"].items() if check["ok"]} >= {
        "database",
        "cache",
        "scheduler",
    }
    assert "no-store" in response["Cache-Control"]


def test_not_ready_without_a_scheduler(client, settings):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["scheduler"] == {
        "ok": False,
        "detail": "the scheduler has never run: start `redaktion worker`",
    }

    heartbeat(age_seconds=4 * settings.SCHEDULE_INTERVAL_SECONDS)  # three intervals missed
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["scheduler"]["detail"].startswith("the scheduler last ran")


def test_not_ready_when_the_cache_is_down(client):
    heartbeat(age_seconds=5)
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing listens
        }
    }
    with override_settings(CACHES=unreachable):
        response = client.get("/readyz")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["cache"]["ok"] is False and "Error" in checks["cache"]["detail"]
    assert checks["database"] == {"ok": True}


def test_a_failing_check_is_a_503_not_a_500(client, monkeypatch):
    heartbeat(age_seconds=5)

    def broken():
        raise RuntimeError("database is gone")

    monkeypatch.setitem(health._checks, "database", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {
        "ok": False,
        "detail": "RuntimeError: database is gone",
    }
