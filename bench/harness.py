"""Shared pieces of the benchmarks: servers on loopback, wrk runs, result tables.

Every load goes to 127.0.0.1 only, for a bounded time. Figures are reported as ratios to a
baseline measured in the same run, since wrk shares the machine's two cores with the server.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


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


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int = 2, log: Path | None = None):
    port = free_port()
    args = [
        str(VENV_BIN / "gunicorn"),
        "redaktion.wsgi",
        f"--workers={workers}",
        f"--bind=127.0.0.1:{port}",
        "--worker-class=sync",
        "--access-logfile=-" if os.environ.get("BENCH_ACCESS_LOG") else "--log-level=warning",
    ]
    with process(args, env=env, log=log):
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/")
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


@dataclass
class WrkResult:
    name: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int

    def ratio_to(self, baseline: WrkResult) -> tuple[float, float, float]:
        return (
            self.requests_per_second / baseline.requests_per_second,
            self.p50_ms / baseline.p50_ms,
            self.p99_ms / baseline.p99_ms,
        )


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if not match:
        raise ValueError(f"cannot read wrk latency {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def wrk(
    name: str,
    url: str,
    *,
    duration: int = 15,
    connections: int = 32,
    warmup: int = 3,
    script: Path | None = None,
):
    """Run wrk against ``url`` after a short warm-up and read req/s, p50 and p99; ``script``
    is a Lua file that shapes the requests (e.g. walks through a list of paths)."""
    binary = shutil.which("wrk")
    if not binary:
        raise SystemExit("wrk is missing: `make bench` installs it with apt")
    common = [binary, "-t2", f"-c{connections}", *(["-s", str(script)] if script else [])]
    subprocess.run([*common, f"-d{warmup}s", url], check=True, capture_output=True)
    out = subprocess.run(
        [*common, f"-d{duration}s", "--timeout", "10s", "--latency", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", out))
    socket_errors = re.search(r"Socket errors: (.*)", out)
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return WrkResult(name, rps, p50, p99, errors)


def table(results: list[WrkResult], baseline: WrkResult) -> str:
    lines = [
        "| page | req/s | p50 ms | p99 ms | req/s vs nginx | p50 vs nginx | p99 vs nginx |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in [baseline, *results]:
        rps, p50, p99 = result.ratio_to(baseline)
        lines.append(
            f"| {result.name} | {result.requests_per_second:,.0f} | {result.p50_ms:.2f} | "
            f"{result.p99_ms:.2f} | {rps:.3f} | {p50:.1f}× | {p99:.1f}× |"
        )
    return "\n".join(lines)
