"""``manage.py deadline 2026-09-30T10:00 --working-days 5`` prints the due instant, and "provisional" if it is."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from org.calendar import DatabaseCalendar
from tickets.deadlines import BEIJING, due_after


class Command(BaseCommand):
    help = "Print when a period of N working days starting at a given time ends (Beijing time)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("start", help="ISO 8601 start, e.g. 2026-09-30T10:00 (Beijing time without an offset)")
        parser.add_argument("--working-days", type=int, required=True, help="length of the period in working days")

    def handle(self, *args: Any, **options: Any) -> None:
        start = parse_start(options["start"])
        days = options["working_days"]
        if days < 1:
            raise CommandError(_("The number of working days must be at least 1."))
        try:
            due = due_after(start, days, DatabaseCalendar(), close_of_business=settings.HOTLINE_CLOSE_OF_BUSINESS)
        except OverflowError:
            raise CommandError(_("The deadline falls outside the range of dates that can be computed.")) from None
        self.stdout.write(due.at.isoformat() + (" provisional" if due.provisional else ""))


def parse_start(raw: str) -> datetime:
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise CommandError(
            _("%(value)r is not an ISO 8601 date and time, e.g. 2026-09-30T10:00.") % {"value": raw}
        ) from None
    if value.tzinfo is None:
        return value.replace(tzinfo=BEIJING)
    return value.astimezone(BEIJING)
