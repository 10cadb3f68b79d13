"""Writing a chunk of checked history rows: a ticket, its lead dispatch, its caller, its import event and record.

On PostgreSQL every table is written with one ``COPY`` per chunk (bulk_create spends more time building
model objects and SQL than the database spends storing them); elsewhere with ``bulk_create``. The ticket's words
come from ``tickets.search.words.document_words`` like any ticket's, computed beforehand (in worker processes for a
large file: see ``importing.py``), plus the words the dispatch trigger gives a ticket for its department.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.db import connection, models
from django.utils import timezone

from learning.history.rows import Row
from learning.models import ImportedRecord
from org.models import User
from tickets.models import Caller, Dispatch, Ticket, TicketEvent
from tickets.numbering import ticket_numbers_for_days
from tickets.search.words import UNIT

IMPORTER = "history-import"  # the account an imported lead dispatch names: inactive, no password, never logs in
Ids = tuple[int | None, int | None, int | None]  # category, area, lead department
TICKET_COLUMNS = ["id", "number", "status", "channel", "kind", "category_id", "area_id", "lead_department_id"]
TICKET_COLUMNS += ["address", "content", "caller_id", "created_at", "search_vector"]


@dataclass
class Checked:
    """A row that passed its checks and is not imported yet, with its names' ids and (on PostgreSQL) its words."""

    row: Row
    ids: Ids
    words: list[str] | None = None


def tsvector_literal(words: list[str]) -> str:
    """The words as a ``tsvector`` literal, each lexeme quoted as it is (what array_to_tsvector would store)."""
    return " ".join("'" + w.replace("\\", "\\\\").replace("'", "''") + "'" for w in words)


def dispatch_words(department_id: int, created_at: datetime) -> list[str]:
    """The words the dispatch trigger (tickets migrations 0016 and 0021) gives a ticket for a department: §12 and
    §12@YYYYMM, the month it was received in UTC."""
    month = created_at.astimezone(UTC).strftime("%Y%m")
    return [f"{UNIT}{department_id}", f"{UNIT}{department_id}@{month}"]


class Writer:
    """Writes checked rows chunk by chunk, remembering what it looked up once (the sequences of days it made sure
    of, the importing account)."""

    def __init__(self, source: str) -> None:
        self.source = source[:200]
        self.postgres = connection.vendor == "postgresql"
        self.days: set[date] = set()
        self._importer: User | None = None

    def importer(self) -> User:
        if self._importer is None:
            user, created = User.objects.get_or_create(
                username=IMPORTER, defaults={"role": User.Role.ADMIN, "is_active": False}
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            self._importer = user
        return self._importer

    def commit_without_waiting(self) -> None:
        """This transaction's commit does not wait for the disk (PostgreSQL; see importing.py for why it is safe)."""
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")

    def write(self, checked: list[Checked]) -> None:
        if not checked:
            return
        rows = [c.row for c in checked]
        zone = timezone.get_current_timezone()
        numbers = ticket_numbers_for_days([r.created_at.astimezone(zone).date() for r in rows], self.days)
        callers = self._callers(rows)
        if self.postgres:
            self._copy_all(checked, numbers, callers)
            return
        tickets = Ticket.objects.bulk_create(
            Ticket(
                number=number,
                status=Ticket.Status.CLOSED,
                channel=c.row.channel,
                kind=c.row.kind,
                category_id=c.ids[0],
                area_id=c.ids[1],
                lead_department_id=c.ids[2],
                address=c.row.address,
                content=c.row.content,
                caller_id=caller_id,
                created_at=c.row.created_at,
            )
            for c, number, caller_id in zip(checked, numbers, callers, strict=True)
        )
        importer, now = self.importer(), timezone.now()
        Dispatch.objects.bulk_create(
            Dispatch(
                ticket_id=t.pk,
                department_id=t.lead_department_id,
                role=Dispatch.Role.LEAD,
                dispatched_by=importer,
                dispatched_at=t.created_at,
            )
            for t in tickets
            if t.lead_department_id
        )
        TicketEvent.objects.bulk_create(
            TicketEvent(ticket_id=t.pk, actor=importer, verb="import", to_status=t.status, payload=p, at=now)
            for t, p in zip(tickets, self._payloads(rows), strict=True)
        )
        ImportedRecord.objects.bulk_create(
            ImportedRecord(ticket_id=t.pk, **fields) for t, fields in zip(tickets, self._records(rows), strict=True)
        )

    def _copy_all(self, checked: list[Checked], numbers: list[str], callers: list[int | None]) -> None:
        """The tickets take their ids first and their lead dispatches are written before them (foreign keys are
        checked at commit): the dispatch trigger then finds no ticket to update, and each ticket is written once
        with all its words, its text's and those the trigger would have added for its department. Plain tuples,
        no model objects: building a million of them cost more than the database's work."""
        ids = _ids(Ticket, len(checked))
        importer, now, closed = self.importer(), timezone.now(), Ticket.Status.CLOSED
        copy_rows(
            Dispatch,
            ["ticket_id", "department_id", "role", "dispatched_by_id", "dispatched_at"],
            (
                (pk, c.ids[2], Dispatch.Role.LEAD, importer.pk, c.row.created_at)
                for pk, c in zip(ids, checked, strict=True)
                if c.ids[2]
            ),
        )
        copy_rows(
            Ticket, TICKET_COLUMNS, (_ticket_row(*t, closed) for t in zip(ids, checked, numbers, callers, strict=True))
        )
        rows = [c.row for c in checked]
        copy_rows(
            TicketEvent,
            ["ticket_id", "actor_id", "verb", "to_status", "payload", "at"],
            ((pk, importer.pk, "import", closed, p, now) for pk, p in zip(ids, self._payloads(rows), strict=True)),
        )
        fields = ["external_id", "reply_text", "replied_at", "rating", "source"]
        copy_rows(
            ImportedRecord,
            ["ticket_id", *fields],
            ((pk, *(r[f] for f in fields)) for pk, r in zip(ids, self._records(rows), strict=True)),
        )

    def _payloads(self, rows: list[Row]) -> list[dict[str, str]]:
        return [{"external_id": r.external_id, "source": self.source} for r in rows]

    def _records(self, rows: list[Row]) -> list[dict[str, Any]]:
        return [
            {
                "external_id": r.external_id,
                "reply_text": r.reply_text,
                "replied_at": r.replied_at,
                "rating": r.rating,
                "source": self.source,
            }
            for r in rows
        ]

    def _callers(self, rows: list[Row]) -> list[int | None]:
        """Each row's caller: one already known by the same phone and name, else one made for the chunk's rows with
        that phone and name; a caller with a name and no phone cannot be recognised and gets a row of its own."""
        phones = {r.caller_phone for r in rows if r.caller_phone}
        found: dict[tuple[str, str], int] = {}
        if phones:
            for pk, name, phone in _callers_by_phone(list(phones), self.postgres):
                found.setdefault((phone, name), pk)
        new: dict[tuple[str, str], None] = {}
        for row in rows:
            key = (row.caller_phone, row.caller_name)
            if row.caller_phone and key not in found:
                new[key] = None
        lonely = [("", r.caller_name) for r in rows if r.caller_name and not r.caller_phone]
        made = self._callers_create([*new, *lonely])
        found.update(zip(new, made, strict=False))
        unnamed = iter(made[len(new) :])
        return [
            found[(r.caller_phone, r.caller_name)] if r.caller_phone else (next(unnamed) if r.caller_name else None)
            for r in rows
        ]

    def _callers_create(self, keys: list[tuple[str, str]]) -> list[int]:
        """New callers as (phone, name): their ids, in order."""
        if not keys:
            return []
        if not self.postgres:
            return [c.pk for c in Caller.objects.bulk_create([Caller(phone=p, name=n) for p, n in keys])]
        ids = _ids(Caller, len(keys))
        copy_rows(Caller, ["id", "phone", "name"], ((pk, p, n) for pk, (p, n) in zip(ids, keys, strict=True)))
        return ids


def _callers_by_phone(phones: list[str], postgres: bool) -> list[tuple[int, str, str]]:
    """(id, name, phone) of the callers with one of these phones, oldest first: on PostgreSQL with one array
    parameter (the ORM's ``__in`` builds a placeholder per phone, which cost more than the query)."""
    if not postgres:
        return list(Caller.objects.filter(phone__in=phones).order_by("pk").values_list("pk", "name", "phone"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, name, phone FROM {Caller._meta.db_table} WHERE phone = ANY(%s) ORDER BY id",  # noqa: S608
            [phones],
        )
        return cursor.fetchall()


def _ticket_row(pk: int, c: Checked, number: str, caller: int | None, status: str) -> tuple[Any, ...]:
    """A ticket's values in TICKET_COLUMNS' order."""
    row = c.row
    words = tsvector_literal(_all_words(c))
    return (pk, number, status, row.channel, row.kind, *c.ids, row.address, row.content, caller, row.created_at, words)


def _all_words(checked: Checked) -> list[str]:
    lead = checked.ids[2]
    return (checked.words or []) + (dispatch_words(lead, checked.row.created_at) if lead else [])


def _ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` ids from the table's own identity sequence, taken before the rows are written."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def copy_rows(model: type[models.Model], columns: list[str], rows: Iterable[Sequence[Any]]) -> None:
    """``COPY`` the rows into the model's table: the given columns, and every other column that may not be NULL
    with the field's default (as the ORM would write it), the auto_now ones with the time of the copy."""
    defaults = _defaults(model, columns)
    names = columns + list(defaults)
    tail = "\t".join(defaults.values())
    buffer = io.StringIO()
    for row in rows:
        line = "\t".join(map(_copy_text, row))
        buffer.write(f"{line}\t{tail}\n" if tail else f"{line}\n")
    if not buffer.tell():
        return
    buffer.seek(0)
    quoted = ", ".join(connection.ops.quote_name(n) for n in names)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {connection.ops.quote_name(model._meta.db_table)} ({quoted}) FROM STDIN", buffer)


def _defaults(model: type[models.Model], columns: list[str]) -> dict[str, str]:
    now = timezone.now()
    defaults = {}
    for field in model._meta.concrete_fields:
        if field.column in columns or field.primary_key or field.null:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value: Any = now
        elif field.has_default() or field.empty_strings_allowed:
            value = field.get_default()
        else:
            raise ValueError(f"{model.__name__}.{field.name}: no value and no default")
        defaults[str(field.column)] = _copy_text(value)
    return defaults


def _copy_text(value: Any) -> str:
    """One value in COPY's text format: \\N for NULL, backslash, tab and newline escaped."""
    if type(value) is str:  # most values: skip the other checks
        text = value
    elif type(value) is int:
        return str(value)
    elif value is None:
        return r"\N"
    elif isinstance(value, bool):
        return "t" if value else "f"
    elif isinstance(value, datetime | date):
        return value.isoformat()
    elif isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text
