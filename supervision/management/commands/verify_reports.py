from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from supervision.models import MonthlyReport
from supervision.reports import key_id, reports_verify


class Command(BaseCommand):
    help = (
        "Recompute every frozen monthly report as of its own instant, check its signature (REPORTS_SIGNING_KEY), the "
        "chain and that no month is missing; exits non-zero naming each month that fails."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = reports_verify()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in the frozen monthly reports")
        self.stdout.write(f"{MonthlyReport.objects.count()} monthly report(s) verified with key {key_id()}")
