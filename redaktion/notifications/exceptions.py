"""The domain error of the notifications app, raised by its services."""


class NotificationError(Exception):
    """A request the reader has to correct; the message says what."""
