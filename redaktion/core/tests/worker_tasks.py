"""Tasks for the tests that start the documented worker commands as processes: importable by
the worker (the name is not a test module), and visible from outside through a file."""

import time
from pathlib import Path

from django_tasks import task


@task()
def leave_mark(path: str, text: str, seconds: float = 0) -> None:
    """Writes ``started`` to ``path``, waits ``seconds``, then appends ``text``."""
    mark = Path(path)
    mark.write_text("started\n")
    time.sleep(seconds)
    with mark.open("a") as file:
        file.write(f"{text}\n")
