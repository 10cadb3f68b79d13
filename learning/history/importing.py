"""Bring an old system's finished tickets in: checked row by row, written in bulk, a chunk of rows per transaction.

Imported tickets are finished records (status closed, no owner, no clock, no survey round), so they count in no
rate; they carry their words in ``search_vector`` (search, repeats), their caller (caller history), their category,
area and lead department (training, hot spots), a lead dispatch to that department (so that the department finds its
history, as it does a ticket it handled here), and an ``ImportedRecord`` with the old id, reply and rating.
Running the same file twice imports nothing twice: a row whose external id is already imported is skipped.

Each chunk of ``CHUNK`` rows is checked and then written in one transaction with a handful of statements (COPY on
PostgreSQL, numbers of all its days in one query), so a refused row is never half-written and an interrupted import
leaves whole chunks only, which a second run skips. On PostgreSQL every chunk but the last commits without waiting
for its WAL to reach the disk (``synchronous_commit = off`` for that transaction alone): a crash may then lose the
last chunks committed, whole, never a part of one, and the second run imports them; the last chunk's commit waits,
and flushes every chunk before it, so when the import says it is done, all of it is on disk. A dry run writes every
chunk inside one transaction rolled back at the end. Unknown categories, areas and departments made by
``--create-missing`` are made as the rows name them.

Cutting the words of a ticket (jieba's search mode, for the full-text index) costs more than anything else a row
needs on this side of the database, even with jieba-rs doing most of it (tickets.search.words); on
PostgreSQL a file of more than one chunk has them cut by worker processes, a chunk ahead of the one being written.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass, field
from itertools import islice

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.history.rows import Names, Refused, row_check
from learning.history.writing import Checked, Writer
from learning.models import ImportedRecord
from org.models import Department
from tickets.search.words import document_words

CHUNK = 5000
Lines = list[tuple[int, dict[str, str]]]


@dataclass
class ImportResult:
    imported: int = 0
    already: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    dry_run: bool = False


class DryRun(Exception):
    pass


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
    writer = Writer(source)
    seen: dict[str, int] = {}
    words = _Words(enabled=writer.postgres)
    try:
        with ExitStack() as stack:
            stack.enter_context(transaction.atomic() if dry_run else nullcontext())
            stack.callback(words.close)
            ahead: tuple[int, list[Checked], Future[list[list[str]]] | None] | None = None
            for chunk in _chunks(rows):
                checked = _checked(chunk, names, seen, result)
                if ahead is not None:
                    _write(writer, *ahead, result, progress, last=False)
                ahead = (len(chunk), checked, words.submit(checked, first=ahead is None))
            if ahead is not None:
                _write(writer, *ahead, result, progress, last=True)
            result.created = names.created
            if dry_run:
                raise DryRun
    except DryRun:
        pass
    return result


def _write(
    writer: Writer,
    size: int,
    checked: list[Checked],
    words: Future[list[list[str]]] | None,
    result: ImportResult,
    progress: Callable[[int], None] | None,
    *,
    last: bool,
) -> None:
    if words is not None:
        for row, row_words in zip(checked, words.result(), strict=True):
            row.words = row_words
    with transaction.atomic():
        if not last:
            writer.commit_without_waiting()
        writer.write(checked)
    result.imported += len(checked)
    if progress:
        progress(size)


def _chunks(rows: Iterable[tuple[int, dict[str, str]]]) -> Iterator[Lines]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def _checked(chunk: Lines, names: Names, seen: dict[str, int], result: ImportResult) -> list[Checked]:
    """The chunk's good rows not imported before, with their names' ids; the others go to ``refused`` or count as
    ``already`` imported."""
    good = []
    now, zone = timezone.now(), timezone.get_current_timezone()
    for line, fields in chunk:
        try:
            row = row_check(line, fields, now, zone)
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
        good.append(Checked(row, ids))
    known = imported_already([c.row.external_id for c in good])
    result.already += len(known)
    return [c for c in good if c.row.external_id not in known]


def imported_already(external_ids: list[str]) -> set[str]:
    """Which of these external ids are imported already: one query (on PostgreSQL one array parameter, which costs
    far less to build than the ORM's two thousand placeholders of ``__in``)."""
    if not external_ids:
        return set()
    if connection.vendor != "postgresql":
        found = ImportedRecord.objects.filter(external_id__in=external_ids).values_list("external_id", flat=True)
        return set(found)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT external_id FROM {ImportedRecord._meta.db_table} WHERE external_id = ANY(%s)",  # noqa: S608
            [external_ids],
        )
        return {external_id for (external_id,) in cursor.fetchall()}


def words_of(texts: list[tuple[str, str]]) -> list[list[str]]:
    """Each ticket's words for the index (content and address), as any ticket gets them."""
    return [document_words(content, address) for content, address in texts]


class _Words:
    """Cuts the words of a chunk: in this process for the first chunk (a small file never starts a worker), in
    worker processes for the next ones, which cut while this process writes the chunk before."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self.pool: ProcessPoolExecutor | None = None

    def submit(self, checked: list[Checked], *, first: bool) -> Future[list[list[str]]] | None:
        if not self.enabled:
            return None
        texts = [(c.row.content, c.row.address) for c in checked]
        if first:
            done: Future[list[list[str]]] = Future()
            done.set_result(words_of(texts))
            return done
        if self.pool is None:
            # Forked after the first chunk: the workers start with jieba's dictionary loaded, and never touch the
            # database (a forked worker ends with os._exit, leaving this process's connection alone).
            workers = os.cpu_count() or 2  # this process mostly waits for them
            self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
        return self.pool.submit(words_of, texts)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
