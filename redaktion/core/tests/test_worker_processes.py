"""The worker commands as the README documents them, started as processes: ``redaktion
worker`` for the database backend, ``redaktion rqworker default`` for the Redis backend
(against a redis-server of the test's own), each running a task enqueued by another process.
The RQ worker also outlives its Redis going away in the middle of a job."""

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from .servers import wait_for

REDAKTION = str(Path(sys.executable).with_name("redaktion"))
TASK = "redaktion.core.tests.worker_tasks.leave_mark"


def environment(tmp_path, **variables) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_", "DATABASE_URL", "REDIS_URL", "COV_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="redaktion.settings.dev",
        REDAKTION_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        **variables,
    )
    return env


def enqueue(env, mark: Path, text: str, seconds: float = 0):
    code = (
        f"from {TASK.rsplit('.', 1)[0]} import leave_mark; "
        f"leave_mark.enqueue({str(mark)!r}, {text!r}, {seconds})"
    )
    subprocess.run([REDAKTION, "shell", "-c", code], env=env, check=True, timeout=60)


def start(env, *args, log: Path):
    return subprocess.Popen(
        [REDAKTION, *args], env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )


def stop(process, log: Path):
    process.send_signal(signal.SIGTERM)
    try:
        assert process.wait(30) == 0, log.read_text()
    finally:
        if process.poll() is None:
            process.kill()


@pytest.fixture
def migrated_sqlite(tmp_path, db) -> Path:
    """A migrated SQLite file for the processes a test starts. On a SQLite run it is a copy
    of the test database made with SQLite's backup API, since ``migrate`` in a fresh process
    costs half a minute of CPU; on a PostgreSQL run the test database is not SQLite, so
    ``redaktion migrate`` makes it."""
    path = tmp_path / "worker.sqlite3"
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with contextlib.closing(sqlite3.connect(path)) as copy:
            connection.connection.backup(copy)
    else:
        env = environment(tmp_path)
        subprocess.run([REDAKTION, "migrate", "-v0"], env=env, check=True, timeout=300)
    return path


def test_redaktion_worker_runs_a_task_from_the_database_queue(tmp_path, migrated_sqlite):
    env = environment(tmp_path, TASK_BACKEND="database")
    log, mark = tmp_path / "worker.log", tmp_path / "mark"
    worker = start(env, "worker", log=log)
    try:
        enqueue(env, mark, "aus der Datenbank")
        wait_for(lambda: "aus der Datenbank" in _read(mark), 60, f"the task\n{_read(log)}")
    finally:
        stop(worker, log)


def test_redaktion_rqworker_runs_a_task_and_outlives_redis_dropping_mid_job(tmp_path, redis_server):
    env = environment(
        tmp_path, TASK_BACKEND="rq", RQ_URL=f"redis://127.0.0.1:{redis_server.port}/0"
    )
    log = tmp_path / "rqworker.log"
    worker = start(env, "rqworker", "default", log=log)
    try:
        first = tmp_path / "first"
        enqueue(env, first, "aus Redis")
        wait_for(lambda: "aus Redis" in _read(first), 60, f"the first task\n{_read(log)}")

        during = tmp_path / "during"
        enqueue(env, during, "trotz Ausfall", seconds=3)
        wait_for(lambda: during.exists(), 60, f"the long task to start\n{_read(log)}")
        redis_server.stop()
        time.sleep(4)  # the job ends while Redis is away; the worker loses its connection
        assert worker.poll() is None, _read(log)
        redis_server.start()

        after = tmp_path / "after"
        enqueue(env, after, "nach dem Ausfall")
        wait_for(lambda: "nach dem Ausfall" in _read(after), 90, f"the task after\n{_read(log)}")
        assert worker.poll() is None
    finally:
        stop(worker, log)
    assert "Redis is unreachable" in _read(log) or "lost Redis" in _read(log)


def _read(path: Path) -> str:
    return path.read_text() if path.exists() else ""
