"""Chinese words for the full-text index: jieba's search-mode tokens, kept in a ``tsvector`` on PostgreSQL.

A ticket is indexed with search mode (占道经营 → 占道, 经营, 占道经营), a query is cut in precise mode and every
word must match, so a word of the content or the address finds the ticket through one GIN index. SQLite has no
``tsvector``: there the query falls back to substring matching (a small centre, a few hundred tickets a day).

Every department that ever had a dispatch of the ticket is a word too, ``§`` and its id (a trigger on the dispatch
table adds it: migration 0016), so a department's search ANDs its units inside the same index lookup. No typed query
produces such a word: ``§`` alone is punctuation and dropped.
"""

from __future__ import annotations

import re
from typing import Any

import jieba
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Q, QuerySet

from tickets.models import Ticket

jieba.setLogLevel(60)
PUNCTUATION = re.compile(r"^[\W_]+$")
MAX_QUERY_WORDS = 8
UNIT = "§"  # a handling department as a word: §12


def _keep(word: str) -> bool:
    """A word to index or look up: not punctuation, and never a department's word however the text is written."""
    word = word.strip()
    return bool(word) and not PUNCTUATION.match(word) and not word.startswith(UNIT)


def document_words(*texts: str) -> list[str]:
    """The words a ticket is found by, each once (lexemes of the tsvector as they are: no parser in between)."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in jieba.cut_for_search(text or ""):
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
            "UPDATE tickets_ticket SET search_vector = array_to_tsvector(%s::text[] || ARRAY("
            "SELECT DISTINCT %s || department_id FROM tickets_dispatch WHERE ticket_id = %s)) WHERE id = %s",
            [document_words(content, address), UNIT, ticket_id, ticket_id],
        )


def words_filter(queryset: QuerySet[Ticket], text: str, units: list[int] | None = None) -> QuerySet[Ticket]:
    """Tickets whose content or address has every word of ``text``; with ``units``, also handled by one of them (in
    the same index lookup on PostgreSQL; the caller's scope still applies, this only narrows it early)."""
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
        terms += " & (" + " | ".join(_quoted(f"{UNIT}{pk}") for pk in units) + ")"
    return queryset.filter(search_vector=Lexemes(terms))


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
