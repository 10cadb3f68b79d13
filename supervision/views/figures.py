"""The supervisors' figures: rankings, charts, the month's export and the public page of frozen reports."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from hotline.exports import xlsx_response
from hotline.inputs import month_param
from org.models import User
from org.permissions import role_required
from org.services import audit_record
from supervision.charts import chart_data
from supervision.models import MonthlyReport, MonthlyRollup
from supervision.reports import key_id
from supervision.rollup import RANKED, previous_month, ranking

RATE_LABELS = {
    "on_time_response": _("On-time response"),
    "on_time_completion": _("On-time completion"),
    "survey_rate": _("Survey rate"),
    "satisfaction": _("Satisfaction"),
    "resolution": _("Resolution"),
    "rectification": _("Bad-review rectification"),
    "real_name_bad_review_callback": _("Real-name bad-review callback"),
}


@role_required(User.Role.SUPERVISOR)
def rankings(request: HttpRequest) -> HttpResponse:
    """Departments ranked on a rate for a month, last month beside it; the bottom two months running is marked."""
    month = month_param(request.GET.get("month"))
    rate = request.GET.get("rate") or "satisfaction"
    rate = rate if rate in RANKED else "satisfaction"
    context = {
        "month": month,
        "rate": rate,
        "rows": ranking(month, rate),
        "rates": [(key, RATE_LABELS[key]) for key in RANKED],
        "previous": previous_month(month),
    }
    return render(request, "supervision/rankings.html", context)


def public_reports(request: HttpRequest) -> HttpResponse:
    """Published (frozen) monthly figures, for everyone: rates and counts per department, nothing personal."""
    reports = list(MonthlyReport.objects.order_by("-month").only("month", "digest", "as_of", "key_id"))
    chosen = next(
        (r for r in reports if request.GET.get("month") == f"{r.month:%Y-%m}"), reports[0] if reports else None
    )
    rows = []
    if chosen is not None:
        report = MonthlyReport.objects.get(pk=chosen.pk)
        for code, figures in report.figures.items():
            rows.append(
                {
                    "name": figures["name"],
                    "code": code,
                    "rates": [
                        (
                            RATE_LABELS[key],
                            *figures[key],
                            round(figures[key][0] / figures[key][1] * 100, 1) if figures[key][1] else None,
                        )
                        for key in RATE_LABELS
                    ],
                }
            )
    corrections = []
    if chosen is not None:
        for month, changed in sorted(report.corrections.items()):
            for code, figures in changed.items():
                for key, change in figures.items():
                    corrections.append((month, code, RATE_LABELS.get(key, key), change["was"], change["now"]))
    context = {
        "reports": reports,
        "chosen": chosen,
        "rows": rows,
        "labels": list(RATE_LABELS.values()),
        "corrections": corrections,
        "key_id": key_id(),
    }
    return render(request, "supervision/public_reports.html", context)


@role_required(User.Role.SUPERVISOR)
def charts(request: HttpRequest) -> HttpResponse:
    data = chart_data(request.GET.get("rate") or "satisfaction")
    heat_rows = [
        (y, [next((n for x2, y2, n in data["heat"] if x2 == x and y2 == y), 0) for x in data["heat_x"]])
        for y in data["heat_y"]
    ]
    return render(
        request,
        "supervision/charts.html",
        {
            "data": data,
            "heat_rows": heat_rows,
            "daily": list(zip(data["days"], data["intake"], data["breaches"], strict=True)),
        },
    )


@role_required(User.Role.SUPERVISOR)
def month_export(request: HttpRequest) -> HttpResponseBase:
    """The month's figures per department as Excel: the frozen report if published, else the current rollup."""
    month = month_param(request.GET.get("month"))
    assert isinstance(request.user, User)
    audit_record(actor=request.user, action="export", target=f"month:{month:%Y-%m}")
    report = MonthlyReport.objects.filter(month=month).first()
    if report is not None:
        source = {code: {"name": f["name"], **{k: f[k] for k in RATE_LABELS}} for code, f in report.figures.items()}
    else:
        source = {}
        for row in MonthlyRollup.objects.filter(month=month).select_related("department"):
            entry = source.setdefault(row.department.code, {"name": row.department.name})
            entry[row.rate] = [row.numerator, row.denominator]
    header = [str(_("department"))] + [str(label) for label in RATE_LABELS.values()]
    rows = ([entry["name"]] + [_percent(entry.get(key)) for key in RATE_LABELS] for entry in source.values())
    widths = [28] + [16] * len(RATE_LABELS)
    return xlsx_response(f"hotline-{month:%Y-%m}.xlsx", f"{month:%Y-%m}", header, rows, widths=widths)


def _percent(pair: list[int] | None) -> str:
    if not pair or not pair[1]:
        return "—"
    return f"{pair[0] / pair[1]:.1%} ({pair[0]}/{pair[1]})"
