"""Processes and servers on loopback, each stopped when its block ends: any process,
gunicorn, granian (the production app server), nginx serving static files, a PostgreSQL
server of the benchmark's own, and databases on the machine's PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
# The machine's PostgreSQL server (trust authentication, user postgres).
LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 60) -> None:
    """Returns once ``url`` answers 200; raises RuntimeError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def wait_for_port(port: int, timeout: float = 10) -> None:
    """Returns once something accepts connections on 127.0.0.1:``port``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f} s")


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback)
        return response.read()


@contextlib.contextmanager
def process(args: list[str], env: dict[str, str] | None = None, log: Path | None = None):
    """Run a server process for the length of the block, then stop it and its children."""
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen(
        args, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True
    )
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if log:
            out.close()


def wait_until_idle(pid: int, *, busy_share: float = 0.05, timeout: float = 120) -> None:
    """Waits until process ``pid`` has used less than ``busy_share`` of a core over a second
    (a worker's first scheduler run, its reconciliation, done), so that it does not take
    the cores from what is measured next."""
    ticks = os.sysconf("SC_CLK_TCK")

    def cpu_seconds() -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime

    deadline = time.monotonic() + timeout
    before = cpu_seconds()
    while time.monotonic() < deadline:
        time.sleep(1)
        now = cpu_seconds()
        if now - before < busy_share:
            return
        before = now
    raise SystemExit(f"process {pid} still busy after {timeout:.0f} s")


@contextlib.contextmanager
def gunicorn(
    env: dict[str, str],
    *,
    app: str = "redaktion.wsgi",
    workers: int = 2,
    log: Path | None = None,
    access_log: Path | None = None,
    access_format: str | None = None,
    ready: str = "/",
) -> Iterator[str]:
    """gunicorn with ``workers`` sync workers on a free loopback port for the length of the
    block; yields its base URL once ``ready`` answers 200. Its own messages (warnings and
    worse) go to ``log``, whose end is printed if the server does not come up. Requests are
    logged to ``access_log`` in ``access_format``, or to ``log`` with BENCH_ACCESS_LOG set."""
    port = free_port()
    args = [
        str(VENV_BIN / "gunicorn"),
        app,
        f"--workers={workers}",
        f"--bind=127.0.0.1:{port}",
        "--worker-class=sync",
        "--log-level=warning",
    ]
    if access_log:
        args.append(f"--access-logfile={access_log}")
        if access_format:
            args.append(f"--access-logformat={access_format}")
    elif os.environ.get("BENCH_ACCESS_LOG"):
        args.append("--access-logfile=-")
    with _serving(args, env=env, log=log, port=port, ready=ready) as base:
        yield base


@contextlib.contextmanager
def _serving(args, *, env, log, port, ready) -> Iterator[str]:
    """The server ``args`` start, listening on ``port``, once ``ready`` answers 200; its
    log's end is printed if it does not come up."""
    with process(args, env=env, log=log):
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(base + ready)
        except RuntimeError:
            if log:
                print(log.read_text(errors="replace")[-3000:], file=sys.stderr)
            raise
        yield base


# The production app server (`make serve`): granian's Rust HTTP server in front of the WSGI
# application, WEB_WORKERS processes with WEB_THREADS threads each (a thread waits for the
# cache or the database while another runs).
GRANIAN_THREADS = 4


@contextlib.contextmanager
def granian(
    env: dict[str, str],
    *,
    app: str = "redaktion.wsgi:application",
    workers: int = 2,
    threads: int = GRANIAN_THREADS,
    log: Path | None = None,
    ready: str = "/",
) -> Iterator[str]:
    """granian with ``workers`` processes of ``threads`` threads on a free loopback port, as
    `make serve` runs it, for the length of the block; yields its base URL once ``ready``
    answers 200. Its messages (warnings and worse) go to ``log``, whose end is printed if the
    server does not come up."""
    port = free_port()
    args = [
        str(VENV_BIN / "granian"),
        "--interface=wsgi",
        f"--workers={workers}",
        f"--blocking-threads={threads}",
        "--host=127.0.0.1",
        f"--port={port}",
        "--log-level=warning",
        app,
    ]
    with _serving(args, env=env, log=log, port=port, ready=ready) as base:
        yield base


@contextlib.contextmanager
def nginx_static(files: dict[str, bytes]):
    """nginx serving ``files`` (path → body) from a temporary root: the static baseline."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(nginx):
        raise SystemExit("nginx is missing: `make bench` installs it with apt")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="redaktion-nginx-") as tmp:
        Path(tmp).chmod(0o755)  # nginx's workers run as an unprivileged user
        root = Path(tmp) / "www"
        for path, body in files.items():
            target = root / path.strip("/") / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
        conf = Path(tmp) / "nginx.conf"
        conf.write_text(
            f"""
worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
daemon off;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    default_type text/html;
    sendfile on;
    keepalive_requests 100000;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location / {{ try_files $uri $uri/index.html =404; }}
    }}
}}
"""
        )
        with process([nginx, "-c", str(conf), "-p", tmp]):
            base = f"http://127.0.0.1:{port}"
            wait_for(base + next(iter(files)))
            yield base


def production_postgres_settings() -> dict[str, str]:
    """The PostgreSQL settings the README recommends (Production) for a server of its own,
    sized to this machine's memory (Debian's defaults, 128 MB of shared buffers, are meant for a
    server that shares a small machine, not for an archive of several GB)."""
    with open("/proc/meminfo") as handle:
        total_kb = int(next(line for line in handle if line.startswith("MemTotal")).split()[1])
    total_mb = total_kb // 1024
    return {
        "shared_buffers": f"{total_mb // 4}MB",
        "effective_cache_size": f"{total_mb // 2}MB",
        "work_mem": "16MB",
        "maintenance_work_mem": "1GB",
        "random_page_cost": "1.1",
        "jit": "off",
        "max_wal_size": "8GB",
    }


@contextlib.contextmanager
def postgres_server(directory: Path, settings: dict[str, str]):
    """A PostgreSQL server of the benchmark's own in ``directory`` (``initdb`` on first use,
    the data kept between runs), on a free loopback port with ``settings``, stopped after
    the block. Yields its URL without a database name. Uses the server binaries of the
    installed PostgreSQL (``pg_config --bindir``); as root, it runs as the ``postgres``
    user, as PostgreSQL requires."""
    bindir = Path(subprocess.check_output(["pg_config", "--bindir"], text=True).strip())
    as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    directory = directory.resolve()
    if not (directory / "PG_VERSION").exists():
        directory.mkdir(parents=True, exist_ok=True)
        if as_owner:
            shutil.chown(directory, "postgres", "postgres")
        directory.chmod(0o700)
        subprocess.run(
            [*as_owner, str(bindir / "initdb"), "-D", str(directory), "-A", "trust"]
            + ["-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    port = free_port()
    options = " ".join(
        [f"-p {port}", "-c listen_addresses=127.0.0.1", f"-k {directory}"]
        + [f"-c {name}={value}" for name, value in settings.items()]
    )
    pg_ctl = [*as_owner, str(bindir / "pg_ctl"), "-D", str(directory)]
    subprocess.run(
        [*pg_ctl, "-o", options, "-l", str(directory / "server.log"), "-w", "start"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        yield f"postgres://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            [*pg_ctl, "-m", "fast", "-w", "stop"], check=False, stdout=subprocess.DEVNULL
        )


def postgres_database(url: str, *, fresh: bool = False) -> str:
    """Makes sure the PostgreSQL database that ``url`` names exists (with ``fresh``: dropped
    and created anew, empty) and returns ``url``. Connects to the server's ``postgres``
    database to do so."""
    # psycopg comes with the project's postgres extra; the SQLite benchmarks run without it.
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        if fresh:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
    return url
