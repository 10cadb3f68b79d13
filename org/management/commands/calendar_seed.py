from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from org.services import calendar_year_seed


class Command(BaseCommand):
    help = "Seed working-day calendar years from the holidays package (this year and next by default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("years", nargs="*", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        this_year = timezone.localdate().year
        for year in options["years"] or [this_year, this_year + 1]:
            row, created = calendar_year_seed(year=year)
            state = "seeded" if created else "kept"
            confirmed = "confirmed" if row.confirmed else "provisional"
            self.stdout.write(f"{year}: {state} ({row.days.count()} days, {confirmed})")
