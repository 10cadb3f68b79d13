"""Django's PostgreSQL backend with a health check that costs no round trip while the server has said nothing.

With ``CONN_HEALTH_CHECKS`` Django asks the server ``SELECT 1`` at the start of every request that reuses a
connection: one round trip of the dozen an intake makes. A server that restarts, or a proxy that drops the
connection, closes the socket, which then reads as ready on an idle connection; an idle connection whose socket has
nothing to read has heard nothing since its last answer. So the check polls the socket first and asks the server
only when something arrived (a notice, or the end of the connection). A connection that hangs without closing
fails its next query either way, with or without ``SELECT 1``.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        if self.connection is None or self.connection.closed:
            return False
        poller = select.poll()
        try:
            poller.register(self.connection.fileno(), select.POLLIN)
            spoke = bool(poller.poll(0))
        except (OSError, ValueError):  # the socket is gone
            return False
        return not spoke or bool(super().is_usable())
