"""Tasks for the tests that start the documented worker commands as processes: importable by
the worker (the name is not a test module), and visible from outside through a file."""

import time
from pathlib import Path

from django_tasks import task


@task()
def leave_mark(path: str, text: str, release: str = "") -> None:
    """Writes ``started`` to ``path``; when ``release`` names a file, waits (at most a minute)
    until the test creates it, so the test decides what happens while the job runs; then
    appends ``text``."""
    mark = Path(path)
    mark.write_text("started\n")
    deadline = time.monotonic() + 60
    while release and not Path(release).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    with mark.open("a") as file:
        file.write(f"{text}\n")
