"""The console's suggested category and lead department, and the record of what the operator finally chose.

Suggestions stand beside the routing table's proposal and never replace the operator's choice. With no model yet
(a new centre), there are none and the console works as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from learning.models import SuggestionModel, SuggestionPick
from learning.suggest.store import suggestion_model_loaded
from org.models import Department, User
from tickets.models import Category, Ticket

TOP = 3


@dataclass(frozen=True)
class Proposal:
    id: int
    name: str
    probability: float

    @property
    def percent(self) -> int:
        return round(self.probability * 100)


@dataclass(frozen=True)
class RoutingSuggestions:
    version: int
    categories: list[Proposal]
    departments: list[Proposal]


def routing_suggest(content: str, area_id: int | None) -> RoutingSuggestions | None:
    """The likeliest three categories and lead departments for what the caller said, or None without a model."""
    bundle = suggestion_model_loaded()
    if bundle is None or len(content.strip()) < 4:
        return None
    categories = bundle.category.top(("", content), TOP) if bundle.category else []
    departments = bundle.department.top(("", content, str(area_id or "")), TOP) if bundle.department else []
    names = dict(
        Category.objects.filter(pk__in=[int(i) for i, _p in categories], is_active=True).values_list("pk", "name")
    )
    units = dict(
        Department.objects.filter(pk__in=[int(i) for i, _p in departments], is_active=True).values_list("pk", "name")
    )
    return RoutingSuggestions(
        version=bundle.version,
        categories=[Proposal(int(i), names[int(i)], p) for i, p in categories if int(i) in names],
        departments=[Proposal(int(i), units[int(i)], p) for i, p in departments if int(i) in units],
    )


def suggestion_pick_record(*, ticket: Ticket, operator: User) -> SuggestionPick | None:
    """What the model suggested for this call beside what the operator chose (the ticket as it was taken in)."""
    found = routing_suggest(ticket.content, ticket.area_id)
    if found is None or not (found.categories or found.departments):
        return None
    top_category = found.categories[0].id if found.categories else None
    top_department = found.departments[0].id if found.departments else None
    pick, _created = SuggestionPick.objects.update_or_create(
        ticket=ticket,
        defaults={
            "model_version": found.version,
            "categories": [[p.id, round(p.probability, 4)] for p in found.categories],
            "departments": [[p.id, round(p.probability, 4)] for p in found.departments],
            "chosen_category_id": ticket.category_id,
            "chosen_department_id": ticket.lead_department_id,
            "category_accepted": (ticket.category_id == top_category) if ticket.category_id else None,
            "department_accepted": (ticket.lead_department_id == top_department) if ticket.lead_department_id else None,
            "operator": operator,
        },
    )
    return pick


def acceptance(*, days: int = 30, now: Any = None) -> dict[str, Any]:
    """How often the operator's final pick was the model's first suggestion, over the last ``days`` days."""
    since = (now or timezone.now()) - timedelta(days=days)
    figures = SuggestionPick.objects.filter(at__gte=since).aggregate(
        categories=Count("id", filter=Q(category_accepted__isnull=False)),
        categories_accepted=Count("id", filter=Q(category_accepted=True)),
        departments=Count("id", filter=Q(department_accepted__isnull=False)),
        departments_accepted=Count("id", filter=Q(department_accepted=True)),
    )

    def rate(accepted: int, total: int) -> float | None:
        return round(100 * accepted / total, 1) if total else None

    return {
        **figures,
        "category_rate": rate(figures["categories_accepted"], figures["categories"]),
        "department_rate": rate(figures["departments_accepted"], figures["departments"]),
        "days": days,
        "models": list(SuggestionModel.objects.all()[:10]),
    }
