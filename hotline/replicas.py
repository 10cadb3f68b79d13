"""Reads that may go to a streaming replica (DESIGN.md section 7): the supervisors' pages, charts, rankings, search
lists and exports. Everything else, every write, and every read after a write (in the same request, or by a browser
that wrote within ``REPLICA_STICKY_SECONDS``) goes to the primary. A replica that cannot be reached, or lags more than
``REPLICA_MAX_LAG_SECONDS`` behind, is passed over until a later check (each process checks a replica at most every
``REPLICA_CHECK_SECONDS``) finds it well; ``/healthz`` says which.

Configured by ``DATABASE_REPLICA_URLS`` (comma-separated): the aliases ``replica1``, ``replica2``, … A request is
marked for the replica by ``ReplicaMiddleware`` when it is a GET or HEAD of a path in ``REPLICA_READ_PATHS``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

STICKY_COOKIE = "hotline_wrote"  # set on a response to a write: this browser reads from the primary for a while


@dataclass
class Reads:
    """One request's routing: the replica chosen for its reads, until something in it writes."""

    replica: str | None
    pinned: bool = False


@dataclass
class ReplicaState:
    alias: str
    state: str  # "ok", "lagging", "unreachable"
    lag_seconds: float | None
    checked_at: float = field(default_factory=time.monotonic)


_reads: ContextVar[Reads | None] = ContextVar("hotline_reads", default=None)
_states: dict[str, ReplicaState] = {}


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


class ReplicaRouter:
    """Reads of a marked request go to its replica until the request writes; writes always go to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        reads = _reads.get()
        if reads is None or reads.pinned:
            return "default"
        return reads.replica or "default"

    def db_for_write(self, model: Any, **hints: Any) -> str:
        reads = _reads.get()
        if reads is not None:
            reads.pinned = True  # what this request reads from now on must see what it wrote
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replicas are copies of the primary: every row is related as it is there

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"


LAG_SQL = """
SELECT pg_is_in_recovery(),
       CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
            ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0) END
"""


def replica_state(alias: str, *, fresh: bool = False) -> ReplicaState:
    """The replica's state, checked at most every few seconds per process (a check is one short query)."""
    known = _states.get(alias)
    if known is not None and not fresh and time.monotonic() - known.checked_at < settings.REPLICA_CHECK_SECONDS:
        return known
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(LAG_SQL)
            in_recovery, lag = cursor.fetchone()
        lag = float(lag)
        state = "ok" if lag <= settings.REPLICA_MAX_LAG_SECONDS else "lagging"
        checked = ReplicaState(alias, state if in_recovery else "ok", lag)
    except DatabaseError:
        connections[alias].close()  # a new connection next time: the replica may be back
        checked = ReplicaState(alias, "unreachable", None)
    _states[alias] = checked
    return checked


def healthy_replica() -> str | None:
    for alias in replica_aliases():
        if replica_state(alias).state == "ok":
            return alias
    return None


@contextmanager
def replica_reads() -> Iterator[Reads]:
    """Reads inside go to a healthy replica (or the primary when there is none) until something writes."""
    reads = Reads(replica=healthy_replica())
    token = _reads.set(reads)
    try:
        yield reads
    finally:
        _reads.reset(token)


class ReplicaMiddleware:
    """GET and HEAD of the paths in REPLICA_READ_PATHS read from a replica, unless this browser wrote a moment
    ago; any other request marks the browser as having written (a cookie that only ever sends it to the primary)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.paths = [re.compile(p) for p in settings.REPLICA_READ_PATHS]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_aliases():
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = self.get_response(request)
            response.set_cookie(
                STICKY_COOKIE, "1", max_age=settings.REPLICA_STICKY_SECONDS, httponly=True, samesite="Lax"
            )
            return response
        if not any(p.match(request.path_info) for p in self.paths):
            return self.get_response(request)
        if STICKY_COOKIE in request.COOKIES:
            response = self.get_response(request)
            response["X-Hotline-Read-From"] = "primary"
            return response
        with replica_reads() as reads:
            response = self.get_response(request)
            response["X-Hotline-Read-From"] = "primary" if reads.pinned or not reads.replica else reads.replica
        return response


def replicas_health() -> dict[str, str]:
    """For /healthz: each replica's state, and whether its reads are served by the primary instead."""
    report = {}
    for alias in replica_aliases():
        state = replica_state(alias, fresh=True)
        lag = "" if state.lag_seconds is None else f" (lag {state.lag_seconds:.1f} s)"
        fallback = "" if state.state == "ok" else "; reads served by the primary"
        report[alias] = f"{state.state}{lag}{fallback}"
    return report
