"""Reads for the operator's intake screen: pickers that understand pinyin, the caller's history, repeat candidates,
the routing proposal and the knowledge base. Each is a bounded query on an index (see bench/console_lookup.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import jieba
from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet
from pypinyin import Style, lazy_pinyin

from learning import repeats
from org.models import Area, Street
from org.reference import reference
from tickets.models import Category, KnowledgeArticle, RoutingRule, Ticket
from tickets.models.ticket import OPEN_STATUSES

T = TypeVar("T")

jieba.setLogLevel(60)
ARTICLE_WORDS = 40  # of the call's words, at most this many are looked up
ARTICLE_CANDIDATES = 50


@dataclass(frozen=True)
class Pick:
    id: int
    name: str
    detail: str = ""
    street: str = ""  # an area offered for a road or compound typed by name (人民路 → 江南区 › 人民街道)


def _keys(name: str) -> str:
    """What a name is found by: itself, its full pinyin, and its pinyin initials (占道经营 → zhandaojingying, zdjy)."""
    return " ".join((name, "".join(lazy_pinyin(name)), "".join(lazy_pinyin(name, style=Style.FIRST_LETTER))))


def area_label(area: Area, names: dict[str, str]) -> str:
    """江南区 › 人民街道 › 东湖社区: the area with the areas above it (``names`` maps paths to names)."""
    steps = range(Area.steplen, len(area.path) + 1, Area.steplen)
    return " › ".join(names.get(area.path[:end], "") for end in steps)


def _fingerprint(kind: str) -> str:
    """Rows added or removed since the index was cached make a new key (an edit in place shows within 5 minutes)."""
    querysets: list[QuerySet[Any]] = (
        [Category.objects.all()] if kind == "category" else [Area.objects.all(), Street.objects.all()]
    )
    return "-".join("{n}.{top}".format(**q.aggregate(n=Count("pk"), top=Max("pk"))) for q in querysets)


def _index(kind: str) -> list[tuple[int, str, str, str, str]]:
    """(id, name, detail, street, search keys) for every active category below a group, or every area and street."""
    key = f"console:index:{kind}:{_fingerprint(kind)}"
    rows = cache.get(key)
    if rows is None:
        items: list[tuple[int, str, str, str]]
        if kind == "category":
            categories = list(Category.objects.filter(is_active=True).order_by("path"))
            groups = {c.path: c.name for c in categories if c.depth == 1}
            items = [(c.pk, c.name, groups.get(c.path[: Category.steplen], ""), "") for c in categories if c.depth > 1]
        else:
            areas = list(Area.objects.filter(is_active=True).order_by("path"))
            names = {a.path: a.name for a in areas}
            labels = {a.pk: area_label(a, names) for a in areas}
            items = [(a.pk, labels[a.pk], a.kind, "") for a in areas]  # the kind is named in the reader's language
            streets = Street.objects.filter(area__is_active=True).order_by("name", "area__path")
            items += [(s.area_id, s.name, labels.get(s.area_id, ""), s.name) for s in streets]
        rows = [
            (pk, name, detail, street, _keys(street or name.split(" › ")[-1]).lower())
            for pk, name, detail, street in items
        ]
        cache.set(key, rows, 300)
    return rows


def picker_search(kind: str, query: str, *, limit: int = 8) -> list[Pick]:
    """Categories, or areas and streets, whose name, pinyin or pinyin initials contain ``query``; those that begin
    with it first (the first one is what Tab or Enter picks)."""
    q = query.strip().lower()
    rows = _index(kind)
    found = [
        (not any(k.startswith(q) for k in keys.split()), Pick(pk, name, _detail(kind, detail, street), street))
        for pk, name, detail, street, keys in rows
        if q in keys
    ]
    return [pick for _, pick in sorted(found, key=lambda f: f[0])][:limit]


def _detail(kind: str, detail: str, street: str) -> str:
    return str(Area.Kind(detail).label) if kind == "area" and not street and detail in Area.Kind.values else detail


def picker_first(kind: str, query: str) -> Pick | None:
    """What Tab or Enter picks for ``query``: the first result the operator is shown."""
    found = picker_search(kind, query, limit=1) if query.strip() else []
    return found[0] if found else None


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
    """The console's proposal: the most specific rule (category and the area or an area above it, then category
    alone), and none when its lead department is switched off: the operator chooses (a dispatch to it is refused)."""
    if not category_id:
        return None
    area = Area.objects.filter(pk=area_id).first() if area_id else None
    rules = RoutingRule.objects.filter(category_id=category_id).select_related("lead", "area")
    rule = _most_specific([(r.area.path if r.area else None, r) for r in rules], area)
    return rule if rule is not None and rule.lead.is_active else None


def route_ids(category_id: int | None, area: Area | None) -> tuple[int, list[int]] | None:
    """The most specific rule's lead and co-handling departments' ids, as ``route_for`` finds it, kept while the
    routing table is unchanged (an intake, which has read the area to check it; org/reference.py)."""
    if not category_id:
        return None
    rules = reference(
        ("routes", category_id),
        lambda: [
            (r.area.path if r.area else None, (r.lead_id, [d.pk for d in r.co_departments.all()]))
            for r in RoutingRule.objects.filter(category_id=category_id)
            .select_related("area")
            .prefetch_related("co_departments")
        ],
    )
    found = _most_specific(rules, area)
    return None if found is None else (found[0], list(found[1]))


def _most_specific(rules: Sequence[tuple[str | None, T]], area: Area | None) -> T | None:
    """Of rules by their area's path (None: any area), the one of the nearest area at or above ``area``, else the
    category's rule for any area."""
    if area is not None:
        ancestors = [(path, rule) for path, rule in rules if path and area.path.startswith(path)]
        if ancestors:
            return max(ancestors, key=lambda pair: len(pair[0]))[1]
    return next((rule for path, rule in rules if path is None), None)


def article_search(query: str, *, category_id: int | None = None, limit: int = 5) -> list[KnowledgeArticle]:
    """Articles for the words of ``query`` (a search, or the call's content as it is typed), those that share the
    most words with it first; with no words, the category's articles."""
    words = {w.strip() for w in jieba.cut_for_search(query.strip()) if len(w.strip()) >= 2} if query.strip() else set()
    articles = KnowledgeArticle.objects.filter(is_active=True)
    if not words:
        if not category_id:
            return []
        return list(articles.filter(category_id=category_id).order_by("-updated_at")[:limit])
    match = Q()
    for word in sorted(words)[:ARTICLE_WORDS]:
        match |= Q(title__icontains=word) | Q(keywords__icontains=word) | Q(body__icontains=word)
    found = list(articles.filter(match).order_by("-updated_at")[:ARTICLE_CANDIDATES])

    def shared(article: KnowledgeArticle) -> tuple[int, bool]:
        text = f"{article.title} {article.keywords} {article.body}"
        return sum(word in text for word in words), article.category_id == category_id

    return sorted(found, key=shared, reverse=True)[:limit]
