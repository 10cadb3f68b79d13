"""Frozen monthly reports: each month's figures as of the freeze, signed, chained, and verified for ever.

A report stores the instant it was computed as of (``as_of``), every department's subtree figures, and the
corrections to earlier months (what changed in them between the previous report's ``as_of`` and this one's, e.g.
an appeal upheld after they were frozen). Its digest is an HMAC-SHA256, with a key that lives only in the environment
(``REPORTS_SIGNING_KEY``), over all of that and the previous month's digest. ``reports_verify`` recomputes each month
as of its own ``as_of`` (so ordinary later work changes nothing), checks each signature and the chain, and that every
month from the first report to the last one due is there.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone

from org.calendar import DatabaseCalendar
from org.models import Department
from supervision.checks import KEY_MESSAGE, weak_signing_key
from supervision.models import MonthlyReport
from supervision.rates import RATE_NAMES, month_period, rates_by_department, subtree_sum
from tickets.deadlines import nth_working_day_after
from tickets.models import Ticket

CORRECTION_MONTHS = 12  # how far back a report looks for corrections to earlier months


def signing_key() -> str:
    """The report signing key; in production never a missing, short or development one."""
    if weak_signing_key():
        raise ImproperlyConfigured(KEY_MESSAGE)
    return str(settings.REPORTS_SIGNING_KEY)


def key_id(key: str | None = None) -> str:
    """The published name of the signing key: a one-way function of it that reveals nothing usable."""
    secret = (key or signing_key()).encode()
    return hmac.new(secret, b"hotline monthly report key id", hashlib.sha256).hexdigest()[:16]


def month_figures(month: date, as_of: datetime) -> dict[str, Any]:
    """Every handling department's subtree rates for the month as of ``as_of``:
    {code: {"name": the name published, rate: [numerator, denominator], …}}."""
    start, end = month_period(month)
    departments = list(Department.objects.exclude(kind=Department.Kind.CENTRE).order_by("path"))
    summed = subtree_sum(rates_by_department(start=start, end=end, as_of=as_of), departments)
    return {
        d.code: {"name": d.name, **{name: [rate.numerator, rate.denominator] for name, rate in summed[d.pk].items()}}
        for d in departments
    }


def _rates_only(figures: dict[str, Any] | None) -> dict[str, Any]:
    """The figures that must not change (a department's later renaming does not falsify its report)."""
    return {name: (figures or {}).get(name) for name in RATE_NAMES}


def _changes(stored: dict[str, Any], now: dict[str, Any]) -> dict[str, Any]:
    changed: dict[str, Any] = {}
    for code, figures in stored.items():
        for name in RATE_NAMES:
            if name in figures and now.get(code, {}).get(name) != figures[name]:
                changed.setdefault(code, {})[name] = {"was": figures[name], "now": now.get(code, {}).get(name)}
    return changed


Figures = Callable[[date, datetime], dict[str, Any]]


def month_corrections(
    earlier: list[MonthlyReport], since: datetime, as_of: datetime, figures: Figures = month_figures
) -> dict[str, Any]:
    """What changed in the earlier months' figures between ``since`` (the previous report's as_of) and ``as_of``."""
    corrections: dict[str, Any] = {}
    for report in earlier:
        changed = _changes(figures(report.month, since), figures(report.month, as_of))
        if changed:
            corrections[f"{report.month:%Y-%m}"] = changed
    return corrections


def _canonical(report: MonthlyReport) -> bytes:
    assert report.as_of is not None
    body = {
        "month": report.month.isoformat(),
        "as_of": report.as_of.isoformat(),
        "figures": report.figures,
        "corrections": report.corrections,
        "previous": report.previous_digest,
        "key_id": report.key_id,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def report_sign(report: MonthlyReport) -> str:
    return hmac.new(signing_key().encode(), _canonical(report), hashlib.sha256).hexdigest()


def report_freeze(month: date, *, as_of: datetime | None = None) -> MonthlyReport:
    """Store ``month``'s report once, as of now; a second call (or a second beat) returns the stored one unchanged."""
    month = month.replace(day=1)
    existing = MonthlyReport.objects.filter(month=month).first()
    if existing is not None:
        return existing
    as_of = as_of or timezone.now()
    earlier = list(MonthlyReport.objects.filter(month__lt=month).order_by("-month")[:CORRECTION_MONTHS])
    previous = earlier[0] if earlier else None
    report = MonthlyReport(
        month=month,
        as_of=as_of,
        figures=month_figures(month, as_of),
        corrections=month_corrections(earlier, previous.as_of, as_of) if previous and previous.as_of else {},
        key_id=key_id(),
        previous_digest=previous.digest if previous else "",
    )
    report.digest = report_sign(report)
    try:
        with transaction.atomic():
            report.save(force_insert=True)
    except IntegrityError:
        return MonthlyReport.objects.get(month=month)
    return report


def last_month_due(today: date | None = None) -> date:
    """The last month whose report should exist: last month from this month's first working day, else the one before."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    first_working = nth_working_day_after(first - timedelta(days=1), 1, DatabaseCalendar())
    last = (first - timedelta(days=1)).replace(day=1)
    return last if today >= first_working else (last - timedelta(days=1)).replace(day=1)


def _next_month(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1)


def _missing(reports: list[MonthlyReport]) -> list[str]:
    due = last_month_due()
    if not reports:
        oldest = Ticket.objects.order_by("created_at").values_list("created_at", flat=True).first()
        if oldest is not None and timezone.localdate(oldest).replace(day=1) <= due:
            return [f"{due:%Y-%m}: no monthly report is stored, but tickets exist since {oldest:%Y-%m}"]
        return []
    problems, expected = [], reports[0].month
    stored = {r.month for r in reports}
    while expected <= max(due, reports[-1].month):
        if expected not in stored:
            problems.append(f"{expected:%Y-%m}: the monthly report is missing")
        expected = _next_month(expected)
    return problems


def _check(
    report: MonthlyReport, previous: MonthlyReport | None, earlier: list[MonthlyReport], figures_of: Figures
) -> list[str]:
    label = f"{report.month:%Y-%m}"
    if report.as_of is None or not report.key_id:
        return [f"{label}: the report is not signed (frozen before signing was introduced)"]
    if report.key_id != key_id():
        return [f"{label}: signed with key {report.key_id}, not the configured key {key_id()}"]
    problems = []
    if not hmac.compare_digest(report_sign(report), report.digest):
        problems.append(f"{label}: the stored report does not match its signature")
    if report.previous_digest != (previous.digest if previous else ""):
        problems.append(f"{label}: the chain is broken (the previous month's digest differs)")
    figures = figures_of(report.month, report.as_of)
    for code, stored in report.figures.items():
        if _rates_only(figures.get(code)) != _rates_only(stored):
            now = _rates_only(figures.get(code))
            problems.append(f"{label}: {code} differs from the rows: stored {_rates_only(stored)}, now {now}")
    since = previous.as_of if previous is not None else None
    if since is not None and month_corrections(earlier, since, report.as_of, figures_of) != report.corrections:
        problems.append(f"{label}: the corrections to earlier months differ from the rows")
    return problems


def reports_verify() -> list[str]:
    """Problems found, each naming its month: a figure or correction that no longer matches the rows as of the
    report's instant, a signature that does not match, a broken chain, a missing month. Empty means all good."""
    reports = list(MonthlyReport.objects.order_by("month"))
    problems = _missing(reports)
    figures_of = cache(month_figures)  # a month as of a report's instant is asked twice (two reports' corrections)
    for index, report in enumerate(reports):
        earlier = list(reversed(reports[max(0, index - CORRECTION_MONTHS) : index]))
        problems += _check(report, reports[index - 1] if index else None, earlier, figures_of)
    return problems
