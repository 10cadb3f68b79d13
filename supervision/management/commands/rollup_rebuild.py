from typing import Any

from django.core.management.base import BaseCommand

from supervision.rollup import rollup_rebuild


class Command(BaseCommand):
    help = "Recompute the monthly rollup of every department's rates from the first ticket to this month."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{rollup_rebuild()} rollup rows written")
