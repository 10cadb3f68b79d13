"""Bring an old system's finished tickets in: checked row by row, written in bulk, all in one transaction.

Imported tickets are finished records (status closed, no owner, no clock, no survey round), so they count in no
rate; they carry their words in ``search_vector`` (search, repeats), their caller (caller history), their category,
area and lead department (training, hot spots), and an ``ImportedRecord`` with the old id, reply and rating.
Running the same file twice imports nothing twice: a row whose external id is already imported is skipped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.history.rows import Names, Refused, Row, row_check
from learning.models import ImportedRecord
from org.models import Department
from tickets.models import Caller, Ticket, TicketEvent
from tickets.numbering import ticket_numbers_reserve
from tickets.search.words import document_words

BATCH = 5000


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
    try:
        with transaction.atomic():
            names = Names(create_missing=create_missing)
            seen: dict[str, int] = {}
            batch: list[Row] = []
            for line, fields in rows:
                if progress:
                    progress(1)
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
                batch.append(row)
                row.__dict__["ids"] = ids
                if len(batch) >= BATCH:
                    _write(batch, source, result)
                    batch = []
            _write(batch, source, result)
            result.created = names.created
            if dry_run:
                raise DryRun
    except DryRun:
        pass
    return result


def _write(batch: list[Row], source: str, result: ImportResult) -> None:
    if not batch:
        return
    known = set(
        ImportedRecord.objects.filter(external_id__in=[r.external_id for r in batch]).values_list(
            "external_id", flat=True
        )
    )
    fresh = [r for r in batch if r.external_id not in known]
    result.already += len(batch) - len(fresh)
    if not fresh:
        return
    by_day: dict[object, list[Row]] = defaultdict(list)
    for row in fresh:
        by_day[timezone.localdate(row.created_at)].append(row)
    numbers: dict[str, str] = {}
    for day, rows in by_day.items():
        for row, number in zip(rows, ticket_numbers_reserve(day, len(rows)), strict=True):  # type: ignore[arg-type]
            numbers[row.external_id] = number
    callers = Caller.objects.bulk_create(
        [Caller(name=r.caller_name, phone=r.caller_phone) for r in fresh if r.caller_name or r.caller_phone]
    )
    caller_of = iter(callers)
    postgres = connection.vendor == "postgresql"
    tickets = []
    for row in fresh:
        category_id, area_id, lead_id = row.__dict__["ids"]
        tickets.append(
            Ticket(
                number=numbers[row.external_id],
                status=Ticket.Status.CLOSED,
                channel=row.channel,
                kind=row.kind,
                category_id=category_id,
                area_id=area_id,
                lead_department_id=lead_id,
                address=row.address,
                content=row.content,
                caller=next(caller_of) if row.caller_name or row.caller_phone else None,
                created_at=row.created_at,
                search_vector=tsvector_literal(document_words(row.content, row.address)) if postgres else None,
            )
        )
    tickets = Ticket.objects.bulk_create(tickets)
    TicketEvent.objects.bulk_create(
        TicketEvent(
            ticket=t,
            verb="import",
            to_status=Ticket.Status.CLOSED,
            payload={"external_id": r.external_id, "source": source},
            at=timezone.now(),
        )
        for t, r in zip(tickets, fresh, strict=True)
    )
    ImportedRecord.objects.bulk_create(
        ImportedRecord(
            ticket=t,
            external_id=r.external_id,
            reply_text=r.reply_text,
            replied_at=r.replied_at,
            rating=r.rating,
            source=source[:200],
        )
        for t, r in zip(tickets, fresh, strict=True)
    )
    result.imported += len(fresh)
