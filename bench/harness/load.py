"""Load with wrk: runs, their parsing, the static baseline and the table of ratios to it."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .results import markdown_table
from .servers import nginx_static


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


@dataclass(frozen=True)
class Load:
    """wrk's load: ``connections`` connections from 2 threads (1 for one connection) for
    ``duration`` seconds, after ``warmup`` seconds of the same load; a request counts as
    timed out after 10 s. With ``delay_ms`` each connection waits that long before each
    request: a light load of about ``connections * 1000 / delay_ms`` requests per second
    instead of as many as the server answers."""

    duration: int = 15
    connections: int = 32
    warmup: int = 3
    # Request headers, e.g. ("Accept-Encoding: gzip",) to ask as browsers do.
    headers: tuple[str, ...] = ()
    delay_ms: int = 0

    @classmethod
    def add_options(cls, parser, *, duration_help: str = "seconds of load") -> None:
        """``--duration`` and ``--connections`` for a benchmark's command line."""
        parser.add_argument("--duration", type=int, default=cls.duration, help=duration_help)
        parser.add_argument("--connections", type=int, default=cls.connections)

    @classmethod
    def from_options(cls, options) -> Load:
        return cls(duration=options.duration, connections=options.connections)

    @property
    def threads(self) -> int:
        """2, or 1 for a single connection (wrk needs a connection per thread)."""
        return min(2, self.connections)

    def __str__(self) -> str:
        delay = f", {self.delay_ms} ms between requests per connection" if self.delay_ms else ""
        return f"wrk -t{self.threads} -c{self.connections} -d{self.duration}s{delay}"

    def run(self, name: str, url: str, *, paths: Sequence[str] = ()) -> WrkResult:
        """wrk against ``url`` and its req/s, p50, p99 and errors (socket errors and non-2xx
        or 3xx answers). With ``paths``, each request asks for the next of them on ``url``'s
        server in turn (a Lua script), as different pages would."""
        binary = shutil.which("wrk")
        if not binary:
            raise SystemExit("wrk is missing: `make bench` installs it with apt")
        with tempfile.TemporaryDirectory(prefix="redaktion-wrk-") as tmp:
            script, lua = [], ""
            if paths:
                listed = ",\n".join(f'  "{path}"' for path in paths)
                lua += (
                    f"paths = {{\n{listed}\n}}\ncounter = 0\n"
                    "request = function()\n"
                    "  counter = counter + 1\n"
                    "  return wrk.format('GET', paths[(counter % #paths) + 1])\n"
                    "end\n"
                )
            if self.delay_ms:
                lua += f"delay = function()\n  return {int(self.delay_ms)}\nend\n"
            if lua:
                script = ["-s", str(Path(tmp) / "load.lua")]
                Path(script[1]).write_text(lua)
            headers = [arg for header in self.headers for arg in ("-H", header)]
            common = [binary, f"-t{self.threads}", f"-c{self.connections}", *headers, *script]
            subprocess.run([*common, f"-d{self.warmup}s", url], check=True, capture_output=True)
            out = subprocess.run(
                [*common, f"-d{self.duration}s", "--timeout", "10s", "--latency", url],
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


def static_baseline(name: str, path: str, body: bytes, load: Load) -> WrkResult:
    """The baseline of a page benchmark: nginx serving ``body`` at ``path`` from disk, under
    the same ``load``, in the same run."""
    with nginx_static({path: body}) as base:
        return load.run(name, base + path)


def wrk_table(results: list[WrkResult], baseline: WrkResult) -> str:
    """The baseline and each result, with its ratio to the baseline."""
    rows = []
    for result in [baseline, *results]:
        rps, p50, p99 = result.ratio_to(baseline)
        rows.append(
            [
                result.name,
                f"{result.requests_per_second:,.0f}",
                f"{result.p50_ms:.2f}",
                f"{result.p99_ms:.2f}",
                f"{rps:.3f}",
                f"{p50:.1f}×",
                f"{p99:.1f}×",
            ]
        )
    header = ["page", "req/s", "p50 ms", "p99 ms", "req/s vs nginx", "p50 vs nginx", "p99 vs nginx"]
    return markdown_table(header, rows, "lrrrrrr")


def fail_on_errors(results: Iterable[WrkResult]) -> None:
    """Exits naming the runs that saw errors or non-2xx answers, if any did."""
    failed = [result.name for result in results if result.errors]
    if failed:
        raise SystemExit(f"errors or non-2xx answers during: {', '.join(failed)}")
