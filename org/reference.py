"""What every intake reads and only the admin changes, kept by each process for as long as it is unchanged.

An intake checks its category and area, routes by the routing table, checks the departments, and starts clocks by
the deadline policies and the working-day calendar: eight reads of small tables that change a few times a year.
A trigger on each of those tables (``touch_triggers``, installed by the migrations) gives ``org_referencestamp``'s one
row a new random number in the same statement as the change. A write reads that number once (``reference``) and uses
what this process keeps under it, or reads the table and keeps the answer under it:

- an edit is seen by the first write that starts after it commits (its stamp differs, so nothing kept is used);
- a transaction that edits sees its own new stamp, and a rolled-back edit's number never comes back;
- with no row (a truncated table, a database restored without it) nothing is kept and every read goes to the table.

Outside a write (``write_memo``) nothing is kept and pages read the tables, except what a page asks for with
``reference_read`` (the calendar). Kept model instances are handed out as copies; what is kept is never changed in
place.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db import connections, router

T = TypeVar("T")

# One write's memo: its stamp, and (with no stamp) what it read, for its own life only. Set by ``ticket_write`` for
# its outermost transaction (tickets/services/ownership.py).
_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar("reference_write_memo", default=None)
# This process's answers under one stamp: (stamp, {key: value}). Replaced whole when the stamp changes.
_kept: tuple[int | None, dict[Hashable, Any]] = (None, {})
_NO_STAMP = object()


@contextmanager
def write_memo() -> Iterator[None]:
    """Reads of reference tables inside this block are memoised (nested blocks share the outermost one's)."""
    token = _memo.set({}) if _memo.get() is None else None
    try:
        yield
    finally:
        if token is not None:
            _memo.reset(token)


def _stamp_read() -> int | None:
    """The stamp where this request's reads go: a supervisors' page reads a replica (hotline/replicas.py), and what it
    loads there must be kept under the replica's stamp. Under the primary's, a replica behind an edit would keep the
    old rows under the new number, and every write after it would use them."""
    from org.models import ReferenceStamp

    with connections[router.db_for_read(ReferenceStamp)].cursor() as cursor:
        cursor.execute("SELECT stamp FROM org_referencestamp WHERE id = 1")
        row = cursor.fetchone()
    return int(row[0]) if row else None


def _entries() -> dict[Hashable, Any] | None:
    """Where this write keeps what it reads: this process's answers under the current stamp, or with no stamp this
    write's own memo; None outside a write."""
    global _kept
    memo = _memo.get()
    if memo is None:
        return None
    stamp = memo.get(_NO_STAMP, _NO_STAMP)
    if stamp is _NO_STAMP:
        stamp = memo[_NO_STAMP] = _stamp_read()
    if stamp is None:
        return memo  # dropped with the write
    kept_stamp, entries = _kept
    if kept_stamp != stamp:
        entries = {}
        _kept = (stamp, entries)
    return entries


def reference(key: Hashable, load: Callable[[], T]) -> T:
    """``load()``'s answer, kept under the current stamp (see the module's docstring). ``None`` is never kept: a
    missing row asked for by a bad input costs a query, not memory."""
    entries = _entries()
    if entries is None:
        return load()
    if key in entries:
        return entries[key]
    value = load()
    if value is not None:
        entries[key] = value
    return value


def reference_read(key: Hashable, load: Callable[[], T]) -> T:
    """``reference`` for a page as well as a write: outside a write it reads the stamp itself (one query), which pays
    where what is kept costs more to make than that read, as the working-day calendar does on every queue page."""
    if _memo.get() is not None:
        return reference(key, load)
    with write_memo():
        return reference(key, load)


def reference_copy(key: Hashable, load: Callable[[], T | None]) -> T | None:
    """``reference`` for a model instance (or None): a copy, so a caller that sets an attribute changes no other's."""
    return copy.copy(reference(key, load))


def reference_rows(table: str, pks: Sequence[Any], load: Callable[[list[Any]], dict[Any, T]]) -> dict[Any, T]:
    """Copies of the rows of ``pks`` ({pk: instance}, missing ones left out): those not kept are read in one call of
    ``load`` (``Model.objects.in_bulk``)."""
    entries = _entries()
    if entries is None:
        return load(list(pks))
    missing = [pk for pk in dict.fromkeys(pks) if (table, pk) not in entries]
    if missing:
        for pk, row in load(missing).items():
            entries[(table, pk)] = row
    return {pk: copy.copy(entries[(table, pk)]) for pk in pks if (table, pk) in entries}


# --- The triggers that change the stamp (installed by org/0008 and tickets/0027) -------------------------------------

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION org_reference_touch() RETURNS trigger AS $$
BEGIN
    INSERT INTO org_referencestamp (id, stamp) VALUES (1, floor((random() - 0.5) * 1.8e19)::bigint)
        ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
INSERT INTO org_referencestamp (id, stamp) VALUES (1, floor((random() - 0.5) * 1.8e19)::bigint)
    ON CONFLICT (id) DO NOTHING;
"""
_SQLITE_TOUCH = "INSERT OR REPLACE INTO org_referencestamp (id, stamp) VALUES (1, random())"
_SQLITE_FIRST = "INSERT OR IGNORE INTO org_referencestamp (id, stamp) VALUES (1, random())"


def _statements(vendor: str, tables: Sequence[str], *, function: bool) -> list[str]:
    if vendor == "postgresql":
        return ([_PG_FUNCTION] if function else []) + [
            f"CREATE TRIGGER {table}_reference AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}"
            " FOR EACH STATEMENT EXECUTE FUNCTION org_reference_touch()"
            for table in tables
        ]
    if vendor == "sqlite":
        return ([_SQLITE_FIRST] if function else []) + [
            f"CREATE TRIGGER {table}_reference_{op.lower()} AFTER {op} ON {table} BEGIN {_SQLITE_TOUCH}; END"
            for table in tables
            for op in ("INSERT", "UPDATE", "DELETE")
        ]
    return []


def _drops(vendor: str, tables: Sequence[str], *, function: bool) -> list[str]:
    if vendor == "postgresql":
        drops = [f"DROP TRIGGER IF EXISTS {table}_reference ON {table}" for table in tables]
        return drops + (["DROP FUNCTION IF EXISTS org_reference_touch()"] if function else [])
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {table}_reference_{op}"
            for table in tables
            for op in ("insert", "update", "delete")
        ]
    return []


def touch_triggers(tables: Sequence[str], *, function: bool = False) -> tuple[Callable[..., None], Callable[..., None]]:
    """RunPython's forward and backward for triggers that change the stamp on any change to ``tables``; ``function``:
    also create (and drop) the PostgreSQL function they call, and the first stamp."""

    def forward(apps: Any, schema_editor: Any) -> None:
        for sql in _statements(schema_editor.connection.vendor, tables, function=function):
            schema_editor.execute(sql, params=None)

    def backward(apps: Any, schema_editor: Any) -> None:
        for sql in _drops(schema_editor.connection.vendor, tables, function=function):
            schema_editor.execute(sql, params=None)

    return forward, backward
