"""Reads for the operator's intake screen: pickers that understand pinyin, the caller's history, repeat candidates,
the routing proposal and the knowledge base. Each is a bounded query on an index (see bench/console_lookup.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import jieba
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone
from pypinyin import Style, lazy_pinyin
from rapidfuzz import fuzz

from org.models import Department
from tickets.models import Category, KnowledgeArticle, RoutingRule, Ticket
from tickets.models.ticket import OPEN_STATUSES

jieba.setLogLevel(60)
REPEAT_WINDOW = timedelta(days=30)
SIMILAR_CANDIDATES = 200
SIMILAR_THRESHOLD = 60


@dataclass(frozen=True)
class Pick:
    id: int
    name: str
    detail: str = ""


def _keys(name: str) -> str:
    """What a name is found by: itself, its full pinyin, and its pinyin initials (占道经营 → zhandaojingying, zdjy)."""
    return " ".join((name, "".join(lazy_pinyin(name)), "".join(lazy_pinyin(name, style=Style.FIRST_LETTER))))


def _index(kind: str) -> list[tuple[int, str, str, str]]:
    key = f"console:index:{kind}"
    rows = cache.get(key)
    if rows is None:
        if kind == "category":
            categories = list(Category.objects.filter(is_active=True).order_by("path"))
            groups = {c.path: c.name for c in categories if c.depth == 1}
            items = [(c.pk, c.name, groups.get(c.path[: Category.steplen], "")) for c in categories if c.depth > 1]
        else:
            items = [
                (d.pk, d.name, "")
                for d in Department.objects.filter(is_active=True)
                .exclude(kind__in=[Department.Kind.CENTRE, Department.Kind.CITY])
                .order_by("path")
            ]
        rows = [(pk, name, parent, _keys(name).lower()) for pk, name, parent in items]
        cache.set(key, rows, 300)
    return rows


def picker_search(kind: str, query: str, *, limit: int = 8) -> list[Pick]:
    """Categories or areas whose name, pinyin or pinyin initials contain ``query``."""
    q = query.strip().lower()
    rows = _index(kind)
    found = [Pick(pk, name, parent) for pk, name, parent, keys in rows if not q or q in keys]
    return found[:limit]


def caller_history(phone: str, *, limit: int = 10) -> QuerySet[Ticket]:
    return (
        Ticket.objects.filter(caller__phone=phone)
        .select_related("category", "lead_department")
        .prefetch_related("deadlines")
        .order_by("-created_at")[:limit]
    )


def open_at_address(address: str, *, limit: int = 10) -> QuerySet[Ticket]:
    return (
        Ticket.objects.filter(status__in=OPEN_STATUSES, address=address.strip())
        .select_related("category", "lead_department")
        .order_by("-created_at")[:limit]
    )


@dataclass(frozen=True)
class Suggestion:
    ticket: Ticket
    reason: str
    score: int


def _tokens(text: str) -> str:
    return " ".join(t for t in jieba.cut(text) if t.strip())


def repeat_candidates(
    *, phone: str = "", address: str = "", category_id: int | None = None, content: str = "", limit: int = 5
) -> list[Suggestion]:
    """Open tickets the new call may repeat: same caller, same place and category within 30 days, or similar text."""
    since = timezone.now() - REPEAT_WINDOW
    open_tickets = Ticket.objects.filter(status__in=OPEN_STATUSES).select_related("category", "lead_department")
    found: dict[int, Suggestion] = {}
    if phone:
        for ticket in open_tickets.filter(caller__phone=phone).order_by("-created_at")[:limit]:
            found.setdefault(ticket.pk, Suggestion(ticket, "caller", 100))
    if address.strip() and category_id:
        same_place = open_tickets.filter(address=address.strip(), category_id=category_id, created_at__gte=since)
        for ticket in same_place.order_by("-created_at")[:limit]:
            found.setdefault(ticket.pk, Suggestion(ticket, "place", 95))
    if len(content.strip()) >= 4:
        pool = open_tickets.filter(created_at__gte=since)
        if category_id:
            pool = pool.filter(category_id=category_id)
        wanted = _tokens(content)
        for ticket in pool.order_by("-created_at")[:SIMILAR_CANDIDATES]:
            score = int(fuzz.token_set_ratio(wanted, _tokens(ticket.content)))
            if score >= SIMILAR_THRESHOLD and ticket.pk not in found:
                found[ticket.pk] = Suggestion(ticket, "text", score)
    return sorted(found.values(), key=lambda s: -s.score)[:limit]


def route_for(category_id: int | None, area_id: int | None) -> RoutingRule | None:
    """The most specific rule: category and the area or an area above it, then category alone."""
    if not category_id:
        return None
    rules = RoutingRule.objects.filter(category_id=category_id).select_related("lead", "area")
    if area_id:
        area = Department.objects.filter(pk=area_id).first()
        if area is not None:
            ancestors = [r for r in rules if r.area and area.path.startswith(r.area.path)]
            if ancestors:
                return max(ancestors, key=lambda r: len(r.area.path))  # type: ignore[union-attr]
    return next((r for r in rules if r.area_id is None), None)


def article_search(query: str, *, category_id: int | None = None, limit: int = 5) -> list[KnowledgeArticle]:
    articles = KnowledgeArticle.objects.filter(is_active=True)
    words = [w for w in jieba.cut_for_search(query.strip()) if len(w.strip()) >= 2] if query.strip() else []
    if words:
        match = Q()
        for word in words:
            match |= Q(title__icontains=word) | Q(keywords__icontains=word) | Q(body__icontains=word)
        articles = articles.filter(match)
    elif category_id:
        articles = articles.filter(category_id=category_id)
    else:
        return []
    return list(articles.order_by("-updated_at")[:limit])
