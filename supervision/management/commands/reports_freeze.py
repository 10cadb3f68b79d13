from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from supervision.models import MonthlyReport
from supervision.reports import report_freeze


def month_arg(value: str) -> date:
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except ValueError as error:
        raise CommandError(f"--month takes YYYY-MM, not {value!r}") from error


class Command(BaseCommand):
    help = "Freeze one month's report by hand (what beat does on the first working day). Running it again is harmless."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="YYYY-MM, a month that is over")

    def handle(self, *args: Any, **options: Any) -> None:
        month = month_arg(options["month"])
        if month >= timezone.localdate().replace(day=1):
            raise CommandError(f"{month:%Y-%m} is not over yet")
        existing = MonthlyReport.objects.filter(month=month).first()
        if existing is None:
            last = MonthlyReport.objects.order_by("-month").first()
            if last is not None and last.month > month:
                raise CommandError(f"{last.month:%Y-%m} is already frozen: the chain cannot take an earlier month")
            if last is not None and (last.month.year * 12 + last.month.month) + 1 < month.year * 12 + month.month:
                raise CommandError(f"freeze the months after {last.month:%Y-%m} first, in order")
        report = existing or report_freeze(month)
        state = "already frozen" if existing else "frozen"
        self.stdout.write(f"{month:%Y-%m} {state} as of {report.as_of:%Y-%m-%d %H:%M:%S%z}, digest {report.digest}")
