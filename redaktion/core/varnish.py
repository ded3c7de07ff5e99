"""A Varnish of our own in front of the app, with the shipped VCL
(``deploy/varnish/redaktion.vcl``) pointed at the app server's address.

``make serve`` runs ``python -m redaktion.core.varnish --listen 0.0.0.0:8000 --backend
127.0.0.1:8001`` (varnishd in the foreground); the end-to-end tests and the benchmarks start
it with :func:`running`. The VCL is written into Varnish's working directory with the
backend and, for the ``purgers`` ACL, the addresses that may purge; everything else is the
file as shipped.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

VCL = Path(__file__).resolve().parents[2] / "deploy" / "varnish" / "redaktion.vcl"
PURGERS = ("127.0.0.1", "::1")


def render_vcl(*, backend_host: str, backend_port: int, purgers: Sequence[str] = PURGERS) -> str:
    """The shipped VCL with its backend at ``backend_host:backend_port`` and ``purgers`` as
    the addresses that may purge."""
    text = VCL.read_text()
    text, found = re.subn(
        r'(backend app \{\s*\.host = )"[^"]*";(\s*\.port = )"[^"]*";',
        rf'\g<1>"{backend_host}";\g<2>"{backend_port}";',
        text,
    )
    acl = "acl purgers {\n" + "".join(f'    "{address}";\n' for address in purgers) + "}"
    text, found_acl = re.subn(r"acl purgers \{[^}]*\}", acl, text)
    if not (found and found_acl):
        raise ValueError(f"{VCL} has no 'backend app' with host and port or no 'acl purgers'.")
    return text


def command(*, listen: str, vcl_file: Path, workdir: Path, storage: str) -> list[str]:
    """varnishd in the foreground (``-F``), with its own working directory, so that several
    instances (tests, benchmarks) can run side by side; ``-j none`` keeps the user it was
    started as, so it can read a VCL in a private temporary directory."""
    varnishd = shutil.which("varnishd") or "/usr/sbin/varnishd"
    return [
        varnishd,
        "-F",
        "-j",
        "none",
        "-a",
        listen,
        "-f",
        str(vcl_file),
        "-n",
        str(workdir),
        "-s",
        storage,
    ]


def prepare(
    workdir: Path, *, backend: tuple[str, int], purgers: Sequence[str], vcl: str | None = None
) -> Path:
    """Writes the VCL to run into ``workdir``: ``vcl`` as given, or the shipped one pointed
    at ``backend``."""
    workdir.mkdir(parents=True, exist_ok=True)
    vcl_file = workdir / "redaktion.vcl"
    if vcl is None:
        vcl = render_vcl(backend_host=backend[0], backend_port=backend[1], purgers=purgers)
    vcl_file.write_text(vcl)
    return vcl_file


@contextlib.contextmanager
def running(
    *,
    backend: tuple[str, int],
    port: int,
    storage: str = "malloc,64m",
    purgers: Sequence[str] = PURGERS,
    timeout: float = 20,
    vcl: str | None = None,
    workdir: Path | None = None,
) -> Iterator[str]:
    """varnishd on ``127.0.0.1:port`` in front of ``backend`` while the block runs; yields
    its base URL. ``vcl`` replaces the shipped VCL (the benchmarks' bare Varnish). Its files
    go to a temporary directory, or to ``workdir`` (whose ``n`` is the instance that
    ``varnishstat -n`` reads). Raises RuntimeError with varnishd's output if it does not
    start."""
    with contextlib.ExitStack() as stack:
        if workdir is None:
            workdir = Path(
                stack.enter_context(tempfile.TemporaryDirectory(prefix="redaktion-varnish-"))
            )
        vcl_file = prepare(workdir / "vcl", backend=backend, purgers=purgers, vcl=vcl)
        log = (workdir / "varnishd.log").open("w+")
        process = subprocess.Popen(  # noqa: S603 (our own arguments)
            command(
                listen=f"127.0.0.1:{port}",
                vcl_file=vcl_file,
                workdir=workdir / "n",
                storage=storage,
            ),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for_port(port, process, timeout, log)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


def _wait_for_port(port: int, process: subprocess.Popen, timeout: float, log) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    log.seek(0)
    raise RuntimeError(f"varnishd did not start on port {port}:\n{log.read()[-3000:]}")


def _address(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    return host or "127.0.0.1", int(port)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", default="0.0.0.0:8000", help="address:port readers use")
    parser.add_argument("--backend", default="127.0.0.1:8001", help="the app server")
    parser.add_argument("--workdir", default="var/varnish", help="Varnish's working directory")
    parser.add_argument("--storage", default=os.environ.get("VARNISH_STORAGE", "malloc,256m"))
    parser.add_argument(
        "--purger",
        action="append",
        help="an address that may purge (repeat; default: this machine)",
    )
    options = parser.parse_args(argv)
    workdir = Path(options.workdir).resolve()
    vcl_file = prepare(
        workdir / "vcl", backend=_address(options.backend), purgers=options.purger or PURGERS
    )
    args = command(
        listen=options.listen, vcl_file=vcl_file, workdir=workdir / "n", storage=options.storage
    )
    os.execv(args[0], args)  # noqa: S606 (replaces this process: signals reach varnishd)


if __name__ == "__main__":
    main()
