"""Chinese words for the full-text index: jieba's search-mode tokens, kept in a ``tsvector`` on PostgreSQL.

A ticket is indexed with search mode (占道经营 → 占道, 经营, 占道经营), a query is cut in precise mode and every
word must match, so a word of the content or the address finds the ticket through one GIN index. SQLite has no
``tsvector``: there the query falls back to substring matching (a small centre, a few hundred tickets a day).
"""

from __future__ import annotations

import re

import jieba
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Q, QuerySet

from tickets.models import Ticket

jieba.setLogLevel(60)
PUNCTUATION = re.compile(r"^[\W_]+$")
MAX_QUERY_WORDS = 8


def _keep(word: str) -> bool:
    word = word.strip()
    return bool(word) and not PUNCTUATION.match(word)


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
    """Write the ticket's words into its ``search_vector`` (PostgreSQL only; SQLite searches the text itself)."""
    if not full_text():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tickets_ticket SET search_vector = array_to_tsvector(%s::text[]) WHERE id = %s",
            [document_words(content, address), ticket_id],
        )


def words_filter(queryset: QuerySet[Ticket], text: str) -> QuerySet[Ticket]:
    """Tickets whose content or address has every word of ``text``."""
    words = query_words(text)
    if not words:
        return queryset.none()
    if not full_text():
        condition = Q()
        for word in words:
            condition &= Q(content__icontains=word) | Q(address__icontains=word)
        return queryset.filter(condition)
    query = SearchQuery(" & ".join(_quoted(w) for w in words), config="simple", search_type="raw")
    return queryset.filter(search_vector=query)


def _quoted(word: str) -> str:
    """A word as a tsquery lexeme: quoted, so that & | ! : ( ) in it are plain characters."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
