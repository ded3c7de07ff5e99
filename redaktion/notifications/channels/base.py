"""What a channel's connection offers the sending services, and the errors it raises.

A connection is opened for one batch of deliveries and closed after it. Its ``send`` returns
once the channel's service accepted the message, or raises one of the errors below, which
say what the sending services do next; any other exception is a bug or a crash, and the
batch's lease brings the unsent rest back.
"""

from typing import Protocol

from ..models import Delivery


class ChannelError(Exception):
    """A message the channel could not hand over. ``error`` is kept on the delivery
    (``last_error``); ``permanent`` says that a retry cannot help."""

    def __init__(self, error: str, *, permanent: bool = False):
        super().__init__(error)
        self.error = error
        self.permanent = permanent


class Refused(ChannelError):
    """The service refused this one message; the next may go through."""


class Gone(ChannelError):
    """The recipient no longer exists (a push subscription the browser dropped)."""


class Unreachable(ChannelError):
    """The connection could not be opened or broke: this message and the rest of the batch
    wait for a retry."""


class Connection(Protocol):
    """An open connection of one channel for one batch of deliveries."""

    def send(self, delivery: Delivery) -> None:
        """Sends the alert of ``delivery`` (its ``subscriber`` loaded) and returns when the
        service has accepted it."""

    def close(self) -> None:
        """Ends the connection; never raises."""
