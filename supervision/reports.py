"""Frozen monthly reports: computed from rows once, stored with a SHA-256 chain, verified by recomputation."""

from __future__ import annotations

import hashlib
import json
from calendar import monthrange
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from org.models import Department
from reviews.models import MonthlyReport
from supervision.rates import rates


def month_figures(month: date) -> dict[str, Any]:
    """Every handling department's rates for the month (numerator, denominator), keyed by department code."""
    last = date(month.year, month.month, monthrange(month.year, month.month)[1])
    figures: dict[str, Any] = {}
    for department in Department.objects.exclude(kind__in=["centre"]).order_by("path"):
        result = rates(department=department, start=month, end=last)
        figures[department.code] = {
            "name": department.name,
            **{name: [r.numerator, r.denominator] for name, r in result.items()},
        }
    return figures


def chain_digest(previous: str, month: date, figures: dict[str, Any]) -> str:
    canonical = json.dumps(
        {"month": month.isoformat(), "figures": figures}, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256((previous + canonical).encode()).hexdigest()


def report_freeze(month: date) -> MonthlyReport:
    """Store ``month``'s report once; a second call (or a second beat) returns the stored one unchanged."""
    month = month.replace(day=1)
    existing = MonthlyReport.objects.filter(month=month).first()
    if existing is not None:
        return existing
    previous = MonthlyReport.objects.filter(month__lt=month).order_by("-month").first()
    figures = month_figures(month)
    previous_digest = previous.digest if previous else ""
    try:
        with transaction.atomic():
            return MonthlyReport.objects.create(
                month=month,
                figures=figures,
                previous_digest=previous_digest,
                digest=chain_digest(previous_digest, month, figures),
            )
    except IntegrityError:
        return MonthlyReport.objects.get(month=month)


def reports_verify() -> list[str]:
    """Problems found: a figure that no longer matches the rows, a broken or altered chain. Empty means all good."""
    problems = []
    previous_digest = ""
    for report in MonthlyReport.objects.order_by("month"):
        label = f"{report.month:%Y-%m}"
        if report.previous_digest != previous_digest:
            problems.append(f"{label}: the chain is broken (previous digest differs)")
        if chain_digest(report.previous_digest, report.month, report.figures) != report.digest:
            problems.append(f"{label}: the stored figures do not match their digest")
        recomputed = month_figures(report.month)
        for code, stored in report.figures.items():
            if recomputed.get(code) != stored:
                problems.append(f"{label}: {code} differs from the rows: stored {stored}, now {recomputed.get(code)}")
        previous_digest = report.digest
    return problems
