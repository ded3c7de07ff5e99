"""How alerts leave the house: one small adapter per channel, and the ``sent`` marks.

The sending services (``services/sending.py``) say *what* happens to a delivery: claim a
leased batch, send each message, mark it sent, back off after a failure. The modules here
say *how*:

* ``email``: alerts and digests over one connection of the configured mail backend
  (prebuilt message bytes straight to smtplib with Django's SMTP backend);
* ``push``: web push with pywebpush and py_vapid, one HTTP session per batch;
* ``marks``: the per-message ``sent`` mark, pipelined on PostgreSQL, and
  ``synchronous_commit = off`` for a sending run;
* ``base``: the connection protocol and the errors (``Refused``, ``Gone``,
  ``Unreachable``) a channel translates its transport's failures into.
"""

from ..messages import ArticleInfo
from ..models import Channel
from . import email, push
from .base import ChannelError, Connection, Gone, Refused, Unreachable

__all__ = [
    "ChannelError",
    "Connection",
    "Gone",
    "Refused",
    "Unreachable",
    "configured",
    "connect",
]


def configured(channel: str) -> bool:
    """Email always; web push once the VAPID key pair is set."""
    return channel == Channel.EMAIL or (channel == Channel.PUSH and push.configured())


def connect(
    channel: str, infos: dict[tuple[int, int], ArticleInfo], reasons: dict | None = None
) -> Connection:
    """An open connection of ``channel`` for one batch of alerts about the articles in
    ``infos``; ``reasons`` (``selectors.delivery_reasons``) are what an email names as the
    cause of each alert. Raises ``Unreachable`` if the service cannot be reached."""
    if channel == Channel.PUSH:
        return push.PushConnection(infos)
    return email.AlertConnection(infos, reasons)
