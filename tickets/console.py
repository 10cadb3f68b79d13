"""Reads for the operator's intake screen: pickers that understand pinyin, the caller's history, repeat candidates,
the routing proposal and the knowledge base. Each is a bounded query on an index (see bench/console_lookup.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jieba
from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from pypinyin import Style, lazy_pinyin
from rapidfuzz import fuzz

from org.models import Area, Street
from tickets.models import Category, KnowledgeArticle, RoutingRule, Ticket
from tickets.models.ticket import OPEN_STATUSES

jieba.setLogLevel(60)
REPEAT_WINDOW = timedelta(days=30)
SIMILAR_CANDIDATES = 200
SIMILAR_THRESHOLD = 60
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
        area = Area.objects.filter(pk=area_id).first()
        if area is not None:
            ancestors = [r for r in rules if r.area and area.path.startswith(r.area.path)]
            if ancestors:
                return max(ancestors, key=lambda r: len(r.area.path))  # type: ignore[union-attr]
    return next((r for r in rules if r.area_id is None), None)


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
