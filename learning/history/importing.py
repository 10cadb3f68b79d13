"""Bring an old system's finished tickets in: checked row by row, written in bulk, a chunk of rows per transaction.

Imported tickets are finished records (status closed, no owner, no clock, no survey round), so they count in no
rate; they carry their words in ``search_vector`` (search, repeats), their caller (caller history), their category,
area and lead department (training, hot spots), a lead dispatch to that department (so that the department finds its
history, as it does a ticket it handled here), and an ``ImportedRecord`` with the old id, reply and rating.
Running the same file twice imports nothing twice: a row whose external id is already imported is skipped.

Each chunk of ``CHUNK`` rows is checked and then written in one transaction with a handful of statements (bulk
inserts, numbers of all its days in one query), so a refused row is never half-written and an interrupted import
leaves whole chunks only, which a second run skips. A dry run writes every chunk inside one transaction rolled back
at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import islice

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.history.rows import Names, Refused, Row, row_check
from learning.models import ImportedRecord
from org.models import Department, User
from tickets.models import Caller, Dispatch, Ticket, TicketEvent
from tickets.numbering import ticket_numbers_for_days
from tickets.search.words import UNIT, document_words

CHUNK = 2000
IMPORTER = "history-import"  # the account an imported lead dispatch names: inactive, no password, never logs in


@dataclass
class ImportResult:
    imported: int = 0
    already: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    dry_run: bool = False


class DryRun(Exception):
    pass


def tsvector_literal(words: list[str]) -> str:
    """The words as a ``tsvector`` literal, each lexeme quoted as it is (what array_to_tsvector would store)."""
    return " ".join("'" + w.replace("\\", "\\\\").replace("'", "''") + "'" for w in words)


def history_import(
    rows: Iterable[tuple[int, dict[str, str]]],
    *,
    source: str = "",
    create_missing: bool = False,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Check and write every row; refused rows are listed with their line and reason and nothing else stops."""
    result = ImportResult(dry_run=dry_run)
    names = Names(create_missing=create_missing)
    writer = _Writer(source)
    seen: dict[str, int] = {}
    try:
        with transaction.atomic() if dry_run else nullcontext():
            for chunk in _chunks(rows):
                with transaction.atomic():
                    writer.write(_checked(chunk, names, seen, result), result)
                if progress:
                    progress(len(chunk))
            result.created = names.created
            if dry_run:
                raise DryRun
    except DryRun:
        pass
    return result


def _chunks(rows: Iterable[tuple[int, dict[str, str]]]) -> Iterator[list[tuple[int, dict[str, str]]]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def _checked(
    chunk: list[tuple[int, dict[str, str]]], names: Names, seen: dict[str, int], result: ImportResult
) -> list[tuple[Row, tuple[int | None, int | None, int | None]]]:
    """The chunk's good rows with their category, area and lead department ids; the others go to ``refused``."""
    good = []
    for line, fields in chunk:
        try:
            row = row_check(line, fields)
            if row.external_id in seen:
                raise Refused(_("external id repeated from line %(line)s") % {"line": seen[row.external_id]})
            seen[row.external_id] = line
            ids = (
                names.category(row.category),
                names.area(row.area),
                names.department(row.lead_department, Department.Kind.CITY_DEPARTMENT),
            )
        except Refused as refusal:
            result.refused.append((line, str(refusal)))
            continue
        good.append((row, ids))
    return good


def unit_words(department_id: int, created_at: datetime) -> list[str]:
    """The words the dispatch trigger (tickets migrations 0016 and 0021) gives a ticket for a department: §12 and
    §12@YYYYMM, the month it was received in UTC."""
    month = created_at.astimezone(UTC).strftime("%Y%m")
    return [f"{UNIT}{department_id}", f"{UNIT}{department_id}@{month}"]


class _Writer:
    """Writes checked rows chunk by chunk, remembering what it looked up once (the sequences of days it made sure of,
    the importing account)."""

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

    def write(self, checked: list[tuple[Row, tuple[int | None, int | None, int | None]]], result: ImportResult) -> None:
        if not checked:
            return
        known = set(
            ImportedRecord.objects.filter(external_id__in=[r.external_id for r, _ids in checked]).values_list(
                "external_id", flat=True
            )
        )
        fresh = [(r, ids) for r, ids in checked if r.external_id not in known]
        result.already += len(checked) - len(fresh)
        if not fresh:
            return
        numbers = ticket_numbers_for_days([timezone.localdate(r.created_at) for r, _ids in fresh], self.days)
        callers = self._callers([r for r, _ids in fresh])
        tickets = [
            Ticket(
                number=number,
                status=Ticket.Status.CLOSED,
                channel=row.channel,
                kind=row.kind,
                category_id=category_id,
                area_id=area_id,
                lead_department_id=lead_id,
                address=row.address,
                content=row.content,
                caller_id=caller_id,
                created_at=row.created_at,
            )
            for (row, (category_id, area_id, lead_id)), number, caller_id in zip(fresh, numbers, callers, strict=True)
        ]
        if self.postgres:
            self._tickets_with_words(tickets, [r for r, _ids in fresh])
        else:
            tickets = Ticket.objects.bulk_create(tickets)
            self._dispatches(tickets)
        self._records(tickets, [r for r, _ids in fresh])
        result.imported += len(fresh)

    def _tickets_with_words(self, tickets: list[Ticket], rows: list[Row]) -> None:
        """On PostgreSQL the tickets get their ids first and their lead dispatches are written before them (foreign
        keys are checked at commit): the dispatch trigger then finds no ticket to update, and each ticket is written
        once with all its words, its text's and the department's the trigger would have added."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence('tickets_ticket', 'id')) FROM generate_series(1, %s)",
                [len(tickets)],
            )
            for ticket, (pk,) in zip(tickets, cursor.fetchall(), strict=True):
                ticket.pk = pk
        self._dispatches(tickets)
        for ticket, row in zip(tickets, rows, strict=True):
            words = document_words(row.content, row.address)
            if ticket.lead_department_id:
                words += unit_words(ticket.lead_department_id, ticket.created_at)
            ticket.search_vector = tsvector_literal(words)
        Ticket.objects.bulk_create(tickets)

    def _dispatches(self, tickets: list[Ticket]) -> None:
        importer = self.importer()
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

    def _callers(self, rows: list[Row]) -> list[int | None]:
        """Each row's caller: one already known by the same phone and name, else one made for the chunk's rows with
        that phone and name; a caller with a name and no phone cannot be recognised and gets a row of its own."""
        phones = {r.caller_phone for r in rows if r.caller_phone}
        found: dict[tuple[str, str], int] = {}
        for pk, name, phone in (
            Caller.objects.filter(phone__in=phones).order_by("pk").values_list("pk", "name", "phone") if phones else []
        ):
            found.setdefault((phone, name), pk)
        new: dict[tuple[str, str], Caller] = {}
        lonely: list[Caller] = []
        for row in rows:
            key = (row.caller_phone, row.caller_name)
            if row.caller_phone and key not in found and key not in new:
                new[key] = Caller(name=row.caller_name, phone=row.caller_phone)
            elif not row.caller_phone and row.caller_name:
                lonely.append(Caller(name=row.caller_name, phone=""))
        Caller.objects.bulk_create([*new.values(), *lonely])
        found.update({key: caller.pk for key, caller in new.items()})
        unnamed = iter(lonely)
        return [
            found[(r.caller_phone, r.caller_name)] if r.caller_phone else (next(unnamed).pk if r.caller_name else None)
            for r in rows
        ]

    def _records(self, tickets: list[Ticket], rows: list[Row]) -> None:
        now, importer = timezone.now(), self.importer()
        TicketEvent.objects.bulk_create(
            TicketEvent(
                ticket_id=t.pk,
                actor=importer,
                verb="import",
                to_status=Ticket.Status.CLOSED,
                payload={"external_id": r.external_id, "source": self.source},
                at=now,
            )
            for t, r in zip(tickets, rows, strict=True)
        )
        ImportedRecord.objects.bulk_create(
            ImportedRecord(
                ticket_id=t.pk,
                external_id=r.external_id,
                reply_text=r.reply_text,
                replied_at=r.replied_at,
                rating=r.rating,
                source=self.source,
            )
            for t, r in zip(tickets, rows, strict=True)
        )
