from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from tickets.sweeps import sweep_deadlines


class Command(BaseCommand):
    help = "Mark due deadline warnings and breaches now (what beat runs every minute)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=settings.SWEEP_BATCH_SIZE)

    def handle(self, *args: Any, **options: Any) -> None:
        result = sweep_deadlines(batch_size=options["batch_size"])
        self.stdout.write(f"warned {result.warned}, breached {result.breached}")
