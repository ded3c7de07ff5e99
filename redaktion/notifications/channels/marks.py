"""How a ``sent`` mark reaches the database: one row at a time, right after the channel's
service accepted the message, without making the next message wait on PostgreSQL."""

from __future__ import annotations

import select

from django.db import OperationalError, connection
from django.utils import timezone

from ..models import Delivery

_MARK_ONE_SQL = (
    "UPDATE notifications_delivery SET status = %s, sent_at = %s, last_error = '' WHERE id = %s"
)


class SentMarks:
    """Marks deliveries ``sent`` one at a time: it runs once per message.

    On PostgreSQL the ``UPDATE`` (a statement prepared once per batch) is written to the
    server's socket without waiting for its answer, which is read just before the next
    mark goes out: the server executes it while the worker talks to the next recipient.
    The mark is on the server before the next message starts, so a worker killed after
    that loses no mark; a worker killed earlier repeats at most the one message whose
    acceptance it had not yet written down. Elsewhere it is a plain ``UPDATE`` that waits
    for its answer.

    While a mark's answer is unread the connection can run nothing else: call ``wait()``
    before any other query. Used as a context manager, it closes at the end.
    """

    NAME = b"notifications_mark_sent"
    SQL = (
        b"UPDATE notifications_delivery SET status = 'sent', sent_at = $1::timestamptz,"
        b" last_error = '' WHERE id = $2::bigint"
    )

    def __init__(self):
        connection.ensure_connection()
        self.pgconn = None
        self.pending = False
        if connection.vendor == "postgresql":
            # psycopg is the optional ``postgres`` extra: imported only on PostgreSQL.
            from psycopg import pq

            self.ok = (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK)
            self.pgconn = connection.connection.pgconn
            self._check(self.pgconn.prepare(self.NAME, self.SQL))
        else:
            self.cursor = connection.cursor()

    def __enter__(self) -> SentMarks:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def mark(self, pk: int) -> None:
        if self.pgconn is None:
            self.cursor.execute(_MARK_ONE_SQL, [Delivery.Status.SENT.value, timezone.now(), pk])
            return
        self.wait()
        params = [timezone.now().isoformat().encode(), str(pk).encode()]
        self.pgconn.send_query_prepared(self.NAME, params)  # raises if it cannot
        self.pending = True
        while self.pgconn.flush():  # the socket is non-blocking: until all of it is out
            select.select([], [self.pgconn.socket], [])

    def wait(self) -> None:
        """Reads the answer to the last mark (raises if the ``UPDATE`` failed)."""
        if not self.pending:
            return
        self.pending = False
        pgconn = self.pgconn
        pgconn.consume_input()
        while pgconn.is_busy():
            select.select([pgconn.socket], [], [])
            pgconn.consume_input()
        results = []
        while (result := pgconn.get_result()) is not None:
            results.append(result)
        for result in results:
            self._check(result)

    def close(self) -> None:
        if self.pgconn is None:
            self.cursor.close()
            return
        try:
            self.wait()
        finally:
            self._check(self.pgconn.close_prepared(self.NAME))

    def _check(self, result) -> None:
        if result.status not in self.ok:
            message = result.error_message.decode(errors="replace")
            raise OperationalError(f"marking a delivery sent failed: {message}")


class FastCommit:
    """On PostgreSQL the per-message ``sent`` marks skip the wait for the WAL flush
    (``synchronous_commit = off``): a database crash could lose the last marks of a
    fraction of a second, a worker crash cannot, since the server has them."""

    def __enter__(self) -> FastCommit:
        self.active = connection.vendor == "postgresql"
        if self.active:
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO OFF")
        return self

    def __exit__(self, *exc) -> None:
        if self.active and connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
