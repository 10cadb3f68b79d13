"""Reads for the operator's intake screen: pickers that understand pinyin, the caller's history, repeat candidates,
the routing proposal and the knowledge base. Each is a bounded query on an index (see bench/console_lookup.py)."""

from __future__ import annotations

from dataclasses import dataclass

import jieba
from django.core.cache import cache
from django.db.models import Q, QuerySet
from pypinyin import Style, lazy_pinyin

from learning import repeats
from org.models import Department
from tickets.models import Category, KnowledgeArticle, RoutingRule, Ticket
from tickets.models.ticket import OPEN_STATUSES

jieba.setLogLevel(60)


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
    same_place: bool = False
    finished: bool = False


def repeat_candidates(
    *,
    phone: str = "",
    address: str = "",
    category_id: int | None = None,
    content: str = "",
    area_id: int | None = None,
    limit: int = 5,
) -> list[Suggestion]:
    """Open tickets of the same caller, then tickets across the city that the call may repeat (learning/repeats.py):
    any category, open in the last 90 days or recently finished. ``category_id`` no longer narrows the search."""
    found: dict[int, Suggestion] = {}
    if phone:
        open_tickets = Ticket.objects.filter(status__in=OPEN_STATUSES).select_related("category", "lead_department")
        for ticket in open_tickets.filter(caller__phone=phone).order_by("-created_at")[:limit]:
            found.setdefault(ticket.pk, Suggestion(ticket, "caller", 100))
    if content.strip() or address.strip():
        for candidate in repeats.repeat_candidates(content=content, address=address, area_id=area_id, limit=limit):
            reason = "place" if candidate.same_place else "text"
            found.setdefault(
                candidate.ticket.pk,
                Suggestion(candidate.ticket, reason, candidate.score, candidate.same_place, candidate.finished),
            )
    return list(found.values())[:limit]


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
