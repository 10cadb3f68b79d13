"""Repeat candidates (重复件) across the whole city: every open ticket of the last 90 days and the recently finished
ones (marked), of any category, ranked by a similarity that knows Chinese words and ignores boiler plate, with the
same place as a strong signal. Nothing is chosen for the operator.

On PostgreSQL the pool comes from the full-text index (``search_vector``, GIN): tickets sharing at least two of the
call's most telling words, or its place; on SQLite from the newest tickets of the window. The score is an IDF-weighted
overlap of the two texts' words, shrunk for short texts (two words in common out of two is not "100% similar").
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import timedelta

import jieba.analyse
from django.contrib.postgres.search import SearchQuery
from django.utils import timezone

from learning.hotspots.grouping import STOP_WORDS, places
from learning.suggest.features import NOT_A_WORD
from tickets.models import Ticket
from tickets.models.ticket import OPEN_STATUSES
from tickets.search.words import document_words, full_text, query_words

WINDOW = timedelta(days=90)
RECENT_CLOSED = timedelta(days=30)
KEY_WORDS = 4
POOL = 100
SQLITE_POOL = 2000
SHOWN_FROM = 0.25
PLACE_BONUS = 0.35
SHORT = 1.5  # a text with n telling words can score at most n / (n + SHORT)
FINISHED = (Ticket.Status.CLOSED, Ticket.Status.ANSWERED)
_IDF = jieba.analyse.default_tfidf
HOTLINE_STOP_WORDS = STOP_WORDS | frozenset(
    [
        "我要",
        "我想",
        "来电",
        "市民",
        "反映",
        "称",
        "表示",
        "诉求",
        "请",
        "帮忙",
        "麻烦",
        "处理",
        "一下",
        "帮助",
        "联系",
        "电话",
        "已经",
        "还",
        "又",
        "再次",
        "催",
        "催问",
        "进度",
    ]
)
LEXEME = re.compile(r"'((?:[^']|'')*)'")
NUMBERED = re.compile(r"(\d+|[一二三四五六七八九十]+)(栋|号楼|单元|号|楼|幢|室)")


@dataclass(frozen=True)
class Candidate:
    ticket: Ticket
    score: int  # 0–100, shown to the operator
    same_place: bool
    finished: bool
    reason: str = "text"


def telling_words(text: str) -> dict[str, float]:
    """The words of a text that tell what it is about (jieba's search-mode words, as the full-text index holds
    them), each with its IDF weight; boiler plate, single characters and numbers left out."""
    return _weighted(document_words(text))


def _weighted(found: list[str]) -> dict[str, float]:
    return {
        w: _IDF.idf_freq.get(w, _IDF.median_idf)
        for w in found
        if len(w) >= 2 and w not in HOTLINE_STOP_WORDS and not NOT_A_WORD.match(w)
    }


def _ticket_words(ticket: Ticket) -> dict[str, float]:
    """A ticket's words: read from its ``search_vector`` on PostgreSQL (no second jieba pass), else cut again."""
    vector = getattr(ticket, "search_vector", None)
    if isinstance(vector, str) and vector:
        return _weighted([m.replace("''", "'") for m in LEXEME.findall(vector)])
    return telling_words(ticket.content)


def place_keys(address: str, content: str) -> set[str]:
    """Places named in the address or the text, written the same way whatever the numbering (3栋 = 三栋 = 3号楼)."""
    text = NUMBERED.sub("", f"{address} {content}")
    keys = set()
    for name in places(text):
        keys.add(name)
        for generic in ("小区", "花园", "社区", "大厦", "广场", "新村", "家园", "公寓"):
            if name.endswith(generic) and len(name) > len(generic) + 1:
                keys.add(name[: -len(generic)])  # 幸福小区 and 幸福家园 are both 幸福…; "幸福" alone matches
    return keys


def similarity(query: dict[str, float], other: dict[str, float]) -> float:
    """Weighted overlap (Jaccard with IDF weights), shrunk for short texts."""
    if not query or not other:
        return 0.0
    common = sum(min(query[w], other[w]) for w in query.keys() & other.keys())
    union = sum(max(query.get(w, 0), other.get(w, 0)) for w in query.keys() | other.keys())
    shared = len(query.keys() & other.keys())
    return (common / union) * (shared / (shared + SHORT)) if union else 0.0


def _pool(content: str, keys: set[str], exclude: int | None) -> list[Ticket]:
    """Open tickets of the window, then recently finished ones, that share two telling words or the place."""
    now = timezone.now()
    fields = ("pk", "number", "status", "content", "address", "area_id", "created_at", "search_vector", "category")
    open_ = Ticket.objects.filter(status__in=OPEN_STATUSES, created_at__gte=now - WINDOW)
    finished = Ticket.objects.filter(
        status__in=FINISHED, created_at__gte=now - WINDOW, updated_at__gte=now - RECENT_CLOSED
    )
    if exclude:
        open_, finished = open_.exclude(pk=exclude), finished.exclude(pk=exclude)
    if not full_text():
        rows = (open_ | finished).select_related("category").order_by("-created_at")[:SQLITE_POOL]
        return list(rows)
    ranked = sorted(telling_words(content).items(), key=lambda item: -item[1])[:KEY_WORDS]
    terms = [_lexeme(w) for w, _weight in ranked]
    alternatives = [f"{a} & {b}" for a, b in itertools.combinations(terms, 2)]
    for key in sorted(keys, key=len, reverse=True)[:2]:  # the same place alone is enough to be looked at
        parts = [_lexeme(w) for w in query_words(key)]
        if parts:
            alternatives.append(" & ".join(parts))
    if len(terms) == 1 and not alternatives:
        alternatives = terms
    if not alternatives:
        return []
    query = SearchQuery(" | ".join(f"({a})" for a in alternatives), config="simple", search_type="raw")
    found = []
    for rows, size in ((open_, POOL), (finished, POOL // 4)):  # open ones first: the partial GIN index
        matching = rows.filter(search_vector=query).select_related("category").only(*fields)
        found += list(matching.order_by("-created_at")[:size])
    return found


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def repeat_candidates(
    *, content: str, address: str = "", area_id: int | None = None, exclude: int | None = None, limit: int = 5
) -> list[Candidate]:
    """Tickets the call may repeat, likeliest first; only those scoring ``SHOWN_FROM`` or more."""
    query = telling_words(content)
    keys = place_keys(address, content)
    if not query and not keys:
        return []
    found = []
    for ticket in _pool(content, keys, exclude):
        text_score = similarity(query, _ticket_words(ticket))
        same_place = bool(keys & place_keys(ticket.address, ticket.content))
        score = min(1.0, text_score + (PLACE_BONUS if same_place else 0.0))
        if same_place and area_id and ticket.area_id and ticket.area_id != area_id:
            score -= PLACE_BONUS / 2  # the same name in another district is weaker evidence
        if score >= SHOWN_FROM:
            found.append(Candidate(ticket, round(score * 100), same_place, ticket.status in FINISHED))
    found.sort(key=lambda c: (-c.score, c.finished, -c.ticket.created_at.timestamp()))
    return found[:limit]
