"""Measurements in the benchmark's process and their tables: timings and their
percentiles, a child process's time and memory, Markdown tables."""

from __future__ import annotations

import contextlib
import os
import resource
import subprocess
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from .servers import ROOT


@contextlib.contextmanager
def timed(milliseconds: list[float]) -> Iterator[None]:
    """Appends the wall time of the block, in milliseconds, to ``milliseconds``."""
    started = time.perf_counter()
    yield
    milliseconds.append((time.perf_counter() - started) * 1000)


class Sample:
    """Measured values and their percentiles: the value at rank ⌊share · n⌋ of the sorted
    values (so with 100 values or fewer, ``p99`` is the maximum)."""

    def __init__(self, values: Iterable[float]):
        self.values = sorted(values)
        if not self.values:
            raise ValueError("a sample needs at least one value")

    def at(self, share: float) -> float:
        return self.values[min(len(self.values) - 1, int(share * len(self.values)))]

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def p50(self) -> float:
        return self.at(0.5)

    @property
    def p95(self) -> float:
        return self.at(0.95)

    @property
    def p99(self) -> float:
        return self.at(0.99)

    @property
    def max(self) -> float:
        return self.values[-1]


@dataclass
class ChildRun:
    output: str
    wall: float  # seconds
    cpu: float  # seconds, the child and every process it waited for
    peak_rss: int  # bytes, summed over the process tree
    peak_pss: int  # bytes, shared pages split between the processes that share them


def measure_child(args: list[str], env: dict[str, str] | None = None) -> ChildRun:
    """Runs ``args`` to its end and measures it: wall time, CPU time, and the peak memory of
    its process tree sampled from /proc (RSS every 0.5 s, summed over the processes, which
    counts pages that forked workers share with their parent once per process; PSS, which
    splits them but costs kernel time on large processes, every 2 s). Exits if it fails."""
    started = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    child = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    peak_rss = peak_pss = 0
    ticks = 0
    while child.poll() is None:
        pids = _tree_pids(child.pid)
        peak_rss = max(peak_rss, _tree_memory(pids, proportional=False))
        if ticks % 4 == 0:
            peak_pss = max(peak_pss, _tree_memory(pids, proportional=True))
        ticks += 1
        time.sleep(0.5)
    output = child.stdout.read()
    if child.returncode:
        raise SystemExit(f"{' '.join(args[1:])} failed ({child.returncode})")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ChildRun(
        output=output,
        wall=time.monotonic() - started,
        cpu=after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime,
        peak_rss=peak_rss,
        peak_pss=peak_pss,
    )


def _tree_pids(pid: int) -> list[int]:
    """``pid`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(parent, []).append(int(entry))
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        stack += children.get(current, [])
    return found


def _tree_memory(pids: list[int], *, proportional: bool) -> int:
    """Bytes resident in ``pids``: RSS summed (from statm) or PSS (from smaps_rollup)."""
    total = 0
    page = os.sysconf("SC_PAGE_SIZE")
    for pid in pids:
        try:
            if proportional:
                with open(f"/proc/{pid}/smaps_rollup") as handle:
                    for line in handle:
                        if line.startswith("Pss:"):
                            total += int(line.split()[1]) * 1024
            else:
                with open(f"/proc/{pid}/statm") as handle:
                    total += int(handle.read().split()[1]) * page
        except OSError:
            continue
    return total


def markdown_row(cells: Iterable[str]) -> str:
    return "|" + "|".join(f" {cell} " if cell else " " for cell in cells) + "|"


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]], align: str = "") -> str:
    """A Markdown table; ``align`` has an ``l`` or an ``r`` per column (``l`` where missing)."""
    rule = ["---:" if side == "r" else "---" for side in align.ljust(len(header), "l")]
    return "\n".join(markdown_row(cells) for cells in [header, rule, *rows])
