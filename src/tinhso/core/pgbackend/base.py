"""Django's PostgreSQL backend, with a health check that costs no round trip when nothing
happened to the connection.

``CONN_HEALTH_CHECKS`` makes Django check a persistent connection before its first use in each
request; Django's check is a ``SELECT 1``: a round trip per request, as costly as a statement
of the request's own (a sixth of a dossier submission's time). A connection the server has
ended (a restart, ``pg_terminate_backend``, an idle timeout, a crashed backend) always leaves
something on its socket: the server's last error message and the end of the stream. So the
check first looks at the socket without waiting (``poll`` with no timeout): nothing to read
means nothing was said or closed since the last answer, and the connection is taken as it is;
anything to read (an end, an error, a notice) falls back to Django's ``SELECT 1``, which reads
it. What neither check sees (a cable cut without a word) is seen by the first statement, as
before.
"""

from __future__ import annotations

import select
from typing import Any

from django.db.backends.postgresql import base
from psycopg import _queries, pq

# psycopg keeps the parsed form of a statement (where its parameters go) only for statements
# under 4 kB and 50 parameters; a dossier submission's batch is longer, and was parsed again
# at every submission (a tenth of the request's time in Python). The cache stays an LRU of
# 128 statements. (Private constants: if psycopg renames them, this only stops helping.)
if hasattr(_queries, "MAX_CACHED_STATEMENT_LENGTH"):
    _queries.MAX_CACHED_STATEMENT_LENGTH = max(_queries.MAX_CACHED_STATEMENT_LENGTH, 64 * 1024)
if hasattr(_queries, "MAX_CACHED_STATEMENT_PARAMS"):
    _queries.MAX_CACHED_STATEMENT_PARAMS = max(_queries.MAX_CACHED_STATEMENT_PARAMS, 1000)


def quiet(fileno: int) -> bool:
    """True when the socket has nothing to read (no message, no end of stream) right now."""
    poller = select.poll()  # (not select.select: it refuses descriptors over 1023)
    try:
        poller.register(fileno, select.POLLIN | select.POLLPRI)
        return not poller.poll(0)
    except (OSError, ValueError):  # a closed descriptor
        return False


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        idle = connection.pgconn.transaction_status == pq.TransactionStatus.IDLE
        if idle and quiet(connection.pgconn.socket):
            return True  # idle, and the server has said nothing since: usable
        return bool(super().is_usable())

    def bound_cursor(self) -> Any:
        """A cursor whose parameters travel apart from the statement (server-side binding),
        unlike Django's default cursor, which writes them into the text. A statement run
        again and again through it (a dossier submission's two) is prepared on the
        connection after ``prepare_threshold`` runs (``DB_PREPARE_THRESHOLD``), so the server
        parses and plans it once per connection, and the client no longer quotes every
        parameter into a long text. Statements through Django's cursor are never prepared."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            cursor = base.ServerBindingCursor(self.connection)  # type: ignore[attr-defined]
            return self._prepare_cursor(cursor)  # type: ignore[attr-defined]
