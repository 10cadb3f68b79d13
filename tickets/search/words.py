"""Chinese words for the full-text index: jieba's search-mode tokens, kept in a ``tsvector`` on PostgreSQL.

A ticket is indexed with search mode (占道经营 → 占道, 经营, 占道经营), a query is cut in precise mode and every
word must match, so a word of the content or the address finds the ticket through one GIN index. SQLite has no
``tsvector``: there the query falls back to substring matching (a small centre, a few hundred tickets a day).

Every department that ever had a dispatch of the ticket is a word too, ``§`` and its id, and once more with the month
the ticket was received, ``§12@202611`` (a trigger on the dispatch table adds both when the ticket lacks them:
migrations 0016, 0021 and 0031; the complete intake inserts its ticket with them already, ``ticket_words``), so a
department's search ANDs its units inside the same index lookup. A search read in windows of time (pages.py) asks for
the units' words of the window's months: a large department's word of all time holds a million tickets at 10 million,
and intersecting it with a common word's costs a tenth of a second whatever the window, while its words of two months
hold a few ten thousand. No typed query produces such a word: ``§`` alone is punctuation and dropped.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import jieba
import rjieba
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection
from django.db.models import Func, Q, QuerySet, TextField, Value
from django.utils import timezone

from tickets.models import Ticket

jieba.setLogLevel(60)
PUNCTUATION = re.compile(r"^[\W_]+$")
MAX_QUERY_WORDS = 8
UNIT = "§"  # a handling department as a word: §12, and §12@202611 for its tickets received in November 2026 (UTC)
MONTH = "YYYYMM"  # to_char's format of the month in a unit's word, in UTC (the trigger of migration 0021)
Window = tuple[datetime | None, datetime | None]  # [from, until] of the time of receipt; None: open on that side


def _keep(word: str) -> bool:
    """A word to index or look up: not punctuation, and never a department's word however the text is written."""
    word = word.strip()
    return bool(word) and not PUNCTUATION.match(word) and not word.startswith(UNIT)


# jieba's characters of Chinese (what it cuts by its dictionary and HMM), and those it passes through one by one.
HAN = re.compile(r"^[\u4E00-\u9FD5]+$")
PASSED_THROUGH = re.compile(r"^[^\u4E00-\u9FD5a-zA-Z0-9+#&._%\-\r]*$")


def cut_for_search(text: str) -> list[str]:
    """Exactly ``list(jieba.cut_for_search(text))``, in a third of the time: jieba-rs (rjieba) cuts the text in precise
    mode with HMM, which gives jieba's own words wherever they are Chinese characters only (same dictionary, same
    HMM); the runs between those (digits, Latin letters, punctuation, where the two differ: 0731-8888 is one word in
    jieba-rs, three in jieba) are cut by jieba itself, and search mode's dictionary bigrams and trigrams of longer
    words are added as jieba adds them. tests/tickets/test_search_words.py compares it with jieba on real messages.
    Indexing is most of a history import's work (a million tickets), and of an intake's."""
    jieba.dt.check_initialized()  # its dictionary's frequencies, for search mode's bigrams and trigrams
    words: list[str] = []
    gap: list[str] = []
    for word in rjieba.cut(text, True):
        if HAN.match(word):
            if gap:
                _gap_cut("".join(gap), words)
                gap = []
            _search_words(word, words)
        else:
            gap.append(word)
    if gap:
        _gap_cut("".join(gap), words)
    return words


def _gap_cut(text: str, words: list[str]) -> None:
    if PASSED_THROUGH.match(text):  # punctuation and spaces but \r (\r\n is one word): jieba yields each character
        words.extend(text)
        return
    for word in jieba.cut(text):
        _search_words(word, words)


def _search_words(word: str, words: list[str]) -> None:
    """A word of precise mode as search mode gives it: its dictionary bigrams and trigrams first (jieba's rule)."""
    size = len(word)
    if size > 2:
        frequencies = jieba.dt.FREQ
        words.extend(g for i in range(size - 1) if frequencies.get(g := word[i : i + 2]))
        if size > 3:
            words.extend(g for i in range(size - 2) if frequencies.get(g := word[i : i + 3]))
    words.append(word)


def document_words(*texts: str) -> list[str]:
    """The words a ticket is found by, each once (lexemes of the tsvector as they are: no parser in between)."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in cut_for_search(text or ""):
            if _keep(word):
                seen.setdefault(word.strip().lower(), None)
    return list(seen)


def query_words(text: str) -> list[str]:
    words = [w.strip().lower() for w in jieba.cut(text) if _keep(w)]
    return list(dict.fromkeys(words))[:MAX_QUERY_WORDS]


def full_text() -> bool:
    return connection.vendor == "postgresql"


def ticket_index(ticket_id: int, content: str, address: str) -> None:
    """Write the ticket's words, and its handling departments', into its ``search_vector`` (PostgreSQL only; SQLite
    searches the text itself)."""
    if not full_text():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tickets_ticket t SET search_vector = array_to_tsvector(%s::text[] || ARRAY("
            "SELECT DISTINCT unnest(ARRAY[%s || d.department_id,"
            " %s || d.department_id || '@' || to_char(t.created_at AT TIME ZONE 'UTC', %s)])"
            " FROM tickets_dispatch d WHERE d.ticket_id = t.id)) WHERE t.id = %s",
            [document_words(content, address), UNIT, UNIT, MONTH, ticket_id],
        )


def ticket_words(content: str, address: str, dispatched: tuple[list[int], datetime] | None = None) -> Func | None:
    """The ticket's words as the value of ``search_vector`` in its INSERT (PostgreSQL; None on SQLite): ``ticket_index``
    without a second row version. ``dispatched``: the departments the same write dispatches the ticket to and the time
    it is received; their words go in with the ticket's, and the dispatches' trigger, finding them there, leaves the row
    alone (migration 0031). Without it the trigger adds them after."""
    if not full_text():
        return None
    words = document_words(content, address)
    if dispatched:
        units, received_at = dispatched
        words += unit_words(units) + unit_words(units, (received_at, received_at))
    value = Value(words, output_field=ArrayField(TextField()))
    return Func(value, function="array_to_tsvector", output_field=SearchVectorField())


def words_filter(
    queryset: QuerySet[Ticket], text: str, units: list[int] | None = None, window: Window | None = None
) -> QuerySet[Ticket]:
    """Tickets whose content or address has every word of ``text``; with ``units``, also handled by one of them (in
    the same index lookup on PostgreSQL; the caller's scope still applies, this only narrows it early).

    ``window``: the caller reads only tickets received in it (and filters on the time itself): the units' words are
    then those of its months, a far smaller lookup for a large department. The result is the same inside the window."""
    words = query_words(text)
    if not words:
        return queryset.none()
    if not full_text():
        condition = Q()
        for word in words:
            condition &= Q(content__icontains=word) | Q(address__icontains=word)
        return queryset.filter(condition)
    if units is not None and not units:
        return queryset.none()
    terms = " & ".join(_quoted(w) for w in words)
    if units is not None:
        terms += " & (" + " | ".join(_quoted(word) for word in unit_words(units, window)) + ")"
    return queryset.filter(search_vector=Lexemes(terms))


def unit_words(units: list[int], window: Window | None = None) -> list[str]:
    """The units' words for tickets received in ``window``: of all time (§12) without a start, else of each month it
    touches (§12@202610, §12@202611), up to its end or now."""
    start, end = window or (None, None)
    if start is None:
        return [f"{UNIT}{pk}" for pk in units]
    months = _months(start, end or max(timezone.now(), start))
    return [f"{UNIT}{pk}@{month}" for pk in units for month in months]


def _months(start: datetime, end: datetime) -> list[str]:
    """Every UTC month from the one of ``start`` to the one of ``end``, as 202611."""
    first, last = start.astimezone(UTC), end.astimezone(UTC)
    year, month, months = first.year, first.month, []
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


class Lexemes(SearchQuery):
    """A tsquery of lexemes as written (``'物业' & ('§3' | '§4')``), cast rather than parsed: to_tsquery would run
    the text parser over them and turn ``§3`` into ``3``; the index holds the words exactly as document_words gave
    them (array_to_tsvector), so the query must too."""

    def __init__(self, lexemes: str) -> None:
        super().__init__(lexemes)
        self.lexemes = lexemes

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[str]]:  # type: ignore[override]
        return "%s::tsquery", [self.lexemes]


def _quoted(word: str) -> str:
    """A word as a tsquery lexeme: quoted, so that & | ! : ( ) in it are plain characters."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
