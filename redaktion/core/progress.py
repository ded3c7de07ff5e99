"""Progress of long commands (``redaktion related rebuild``, ``search rebuild``).

On a terminal a tqdm bar per stage; elsewhere (a log file, CI, ``| tee``) plain lines, one
per stage and per tenth of it, so logs do not fill with carriage returns. Called as
``progress(stage, done, total)``; ``close()`` ends the last bar.
"""

from tqdm import tqdm

STEPS = 10


class Progress:
    def __init__(self, stream, *, enabled: bool = True):
        # A management command's OutputWrapper appends a newline to every write, which would
        # break tqdm's redrawn line: write to the stream it wraps.
        stream = getattr(stream, "_out", stream)
        self.stream = stream
        self.enabled = enabled
        self.interactive = enabled and hasattr(stream, "isatty") and stream.isatty()
        self.stage = None
        self.bar = None
        self.step = -1

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if stage != self.stage:
            self.close()
            self.stage, self.step = stage, -1
            if self.interactive:
                self.bar = tqdm(total=total, desc=stage, file=self.stream, leave=True)
        if self.bar is not None:
            self.bar.update(done - self.bar.n)
            return
        step = STEPS * done // max(total, 1)
        if step != self.step:
            self.step = step
            self.stream.write(f"{stage}: {done}/{total} ({100 * done // max(total, 1)} %)\n")
            self.stream.flush()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
