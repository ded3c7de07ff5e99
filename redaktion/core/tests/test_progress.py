"""Progress output: a bar on a terminal, plain lines in a log."""

import io

from redaktion.core.progress import Progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def run(progress, stages=(("vectors", 50), ("lists", 20))):
    for stage, total in stages:
        for done in range(total + 1):
            progress(stage, done, total)
    progress.close()


def test_a_log_gets_one_line_per_stage_and_tenth_without_carriage_returns():
    log = io.StringIO()
    run(Progress(log))

    lines = log.getvalue().splitlines()
    assert "\r" not in log.getvalue()
    assert lines[0] == "vectors: 0/50 (0 %)" and lines[10] == "vectors: 50/50 (100 %)"
    assert lines[11] == "lists: 0/20 (0 %)" and lines[-1] == "lists: 20/20 (100 %)"
    assert len(lines) == 22


def test_a_terminal_gets_a_redrawn_bar_per_stage():
    terminal = Terminal()
    run(Progress(terminal))

    output = terminal.getvalue()
    assert "\r" in output and "50/50" in output and "20/20" in output
    assert output.count("\n") == 2  # one finished line per stage


def test_disabled_writes_nothing():
    log = Terminal()
    run(Progress(log, enabled=False))
    assert log.getvalue() == ""
