"""Store every unfinished ticket's owner afresh from tickets/owner.py (after an upgrade; safe to run again)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from tickets.models import Ticket
from tickets.models.ticket import OPEN_STATUSES
from tickets.services.ownership import owner_refresh


class Command(BaseCommand):
    help = "Recompute the owner (queue) of every unfinished ticket."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        ids = Ticket.objects.filter(status__in=OPEN_STATUSES).values_list("pk", flat=True).order_by("pk")
        for ticket_id in ids.iterator(chunk_size=2000):
            with transaction.atomic():
                owner_refresh(ticket_id)
            count += 1
        self.stdout.write(f"{count} tickets")
