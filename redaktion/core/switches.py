"""A switch that a ``with`` block turns on for the current thread only, and back to what it
was when the block ends (nested blocks included): for bulk writers that change how the code
they call behaves (``publishing.events_deferred``, ``outbox.outbox_batch``)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class ThreadSwitch(threading.local):
    on = False

    @contextmanager
    def turned_on(self) -> Iterator[bool]:
        """Turns the switch on within; yields whether it was on already (an outer block)."""
        before = self.on
        self.on = True
        try:
            yield before
        finally:
            self.on = before
