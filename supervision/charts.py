"""Figures for the supervisors' charts: last 30 days from indexed ranges, months from the rollup."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from org.models import Area
from supervision.models import MonthlyRollup
from supervision.rollup import departments, month_start, previous_month
from tickets.models import Category, Deadline, Ticket

DAYS = 30


def chart_data(rate: str = "satisfaction") -> dict[str, Any]:
    today = timezone.localdate()
    since = timezone.now() - timedelta(days=DAYS)
    days = [today - timedelta(days=DAYS - 1 - i) for i in range(DAYS)]
    recent = Ticket.objects.filter(created_at__gte=since)
    intake = dict(recent.annotate(day=TruncDate("created_at")).values_list("day").annotate(n=Count("id")))
    breaches = dict(
        Deadline.objects.filter(breached_at__gte=since)
        .annotate(day=TruncDate("breached_at"))
        .values_list("day")
        .annotate(n=Count("id"))
    )
    groups = {c.path: c.name for c in Category.objects.filter(depth=1)}
    by_category: dict[str, int] = {}
    heat: dict[tuple[str, str], int] = {}
    areas = {a.pk: a for a in Area.objects.all()}
    districts = {a.path: a.name for a in areas.values() if a.depth == 1}
    for path, area_id, n in recent.values_list("category__path", "area_id").annotate(n=Count("id")):
        group = groups.get((path or "")[: Category.steplen], "—")
        by_category[group] = by_category.get(group, 0) + n
        area = areas.get(area_id) if area_id else None
        district = next((name for p, name in districts.items() if area and area.path.startswith(p)), "—")
        heat[(district, group)] = heat.get((district, group), 0) + n
    months = [month_start(today)]
    for _ in range(5):
        months.insert(0, previous_month(months[0]))
    rollup = {(r.department_id, r.month): r.value for r in MonthlyRollup.objects.filter(month__in=months, rate=rate)}
    return {
        "days": [d.isoformat() for d in days],
        "intake": [intake.get(d, 0) for d in days],
        "breaches": [breaches.get(d, 0) for d in days],
        "categories": sorted(by_category.items(), key=lambda item: -item[1]),
        "heat_x": sorted({g for _, g in heat}),
        "heat_y": sorted({a for a, _ in heat}),
        "heat": [[x, y, n] for (y, x), n in heat.items()],
        "months": [m.strftime("%Y-%m") for m in months],
        "rates": [{"name": d.name, "values": [rollup.get((d.pk, m)) for m in months]} for d in departments()],
    }
