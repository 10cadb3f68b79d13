from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from reviews.models import MonthlyReport
from supervision.reports import reports_verify


class Command(BaseCommand):
    help = "Recompute every frozen monthly report from the rows and check the SHA-256 chain; non-zero on a difference."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = reports_verify()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} difference(s) in the frozen monthly reports")
        self.stdout.write(f"{MonthlyReport.objects.count()} monthly report(s) verified")
