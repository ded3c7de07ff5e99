"""The worker commands as the README documents them, started as processes: ``redaktion
worker`` for the database backend, ``redaktion rqworker default`` for the Redis backend
(against a redis-server of the test's own), each running a task enqueued by another process
(``redaktion shell`` for the database queue; the test's own process for Redis, through the
RQ backend the settings name for ``TASK_BACKEND=rq``). The RQ worker also outlives its Redis
going away in the middle of a job."""

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from .migrated import postgres_copy
from .servers import wait_for
from .worker_tasks import leave_mark

REDAKTION = str(Path(sys.executable).with_name("redaktion"))
RQ_BACKEND = "redaktion.core.task_backends.FailOpenRQBackend"  # as for TASK_BACKEND=rq


def environment(tmp_path, database_url: str = "", **variables) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_", "DATABASE_URL", "REDIS_URL", "COV_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="redaktion.settings.dev",
        REDAKTION_VAR_DIR=str(tmp_path),
        # Else each process started at the same time makes var/secret_key.txt on its first
        # start, and one may read the file another has created but not yet written.
        SECRET_KEY="worker-test-only-key",
        DATABASE_URL=database_url or f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        **variables,
    )
    return env


def enqueue(env, mark: Path, text: str):
    code = (
        f"from {leave_mark.module_path.rsplit('.', 1)[0]} import leave_mark; "
        f"leave_mark.enqueue({str(mark)!r}, {text!r})"
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
def worker_database(tmp_path, db) -> str:
    """``DATABASE_URL`` of a migrated database for the processes a test starts, since
    ``migrate`` in a fresh process costs half a minute of CPU. On a SQLite run: a copy of the
    test database in a file, made with SQLite's backup API. On PostgreSQL: a database copied
    from the migrated one the test databases were made from (``migrated.py``), or, when
    there is none, a SQLite file that ``redaktion migrate`` makes."""
    path = tmp_path / "worker.sqlite3"
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with contextlib.closing(sqlite3.connect(path)) as copy:
            connection.connection.backup(copy)
        yield f"sqlite:///{path}"
        return
    with postgres_copy(connection) as name:
        if name is not None:
            settings = connection.settings_dict
            yield (
                f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST']}:"
                f"{settings['PORT']}/{name}"
            )
            return
    env = environment(tmp_path)
    subprocess.run([REDAKTION, "migrate", "-v0"], env=env, check=True, timeout=300)
    yield env["DATABASE_URL"]


def test_redaktion_worker_runs_a_task_from_the_database_queue(tmp_path, worker_database):
    env = environment(tmp_path, worker_database, TASK_BACKEND="database")
    log, mark = tmp_path / "worker.log", tmp_path / "mark"
    worker = start(env, "worker", log=log)
    try:
        enqueue(env, mark, "aus der Datenbank")
        wait_for(lambda: "aus der Datenbank" in _read(mark), 60, f"the task\n{_read(log)}")
    finally:
        stop(worker, log)


def test_redaktion_rqworker_runs_a_task_and_outlives_redis_dropping_mid_job(
    tmp_path, redis_server, settings
):
    # Restarts after the outage 1 s apart (not doubling up to 30 s): Redis is back at once.
    env = environment(
        tmp_path, TASK_BACKEND="rq", RQ_URL=redis_server.url(0), RQ_RECONNECT_MAX_SECONDS="1"
    )
    settings.TASKS = {"default": {"BACKEND": RQ_BACKEND, "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": redis_server.url(0)}}
    log = tmp_path / "rqworker.log"
    worker = start(env, "rqworker", "default", log=log)
    try:
        first = tmp_path / "first"
        leave_mark.enqueue(str(first), "aus Redis")
        wait_for(lambda: "aus Redis" in _read(first), 60, f"the first task\n{_read(log)}")

        during, release = tmp_path / "during", tmp_path / "release"
        leave_mark.enqueue(str(during), "trotz Ausfall", str(release))
        wait_for(lambda: during.exists(), 60, f"the long task to start\n{_read(log)}")
        redis_server.stop()
        release.touch()  # the job ends while Redis is away
        wait_for(
            lambda: "trotz Ausfall" in _read(during), 60, f"the long task to end\n{_read(log)}"
        )
        wait_for(
            lambda: "Redis is unreachable" in _read(log) or "lost Redis" in _read(log),
            60,
            f"the worker to notice that Redis is away\n{_read(log)}",
        )
        assert worker.poll() is None, _read(log)
        redis_server.start()

        after = tmp_path / "after"
        leave_mark.enqueue(str(after), "nach dem Ausfall")
        wait_for(lambda: "nach dem Ausfall" in _read(after), 90, f"the task after\n{_read(log)}")
        assert worker.poll() is None
    finally:
        stop(worker, log)


def _read(path: Path) -> str:
    return path.read_text() if path.exists() else ""
