"""The deadline lights, one definition for every page, list, count and API (DESIGN §3).

- red 红灯 (overdue): an open clock whose due time has passed;
- yellow 黄灯 (warning): an open clock past its warning time (``warn_at``, by default when 80% of the period in working
  time has passed) and not yet due;
- green 绿灯: an open clock before its warning time;
- a finished clock is green when met on time, red when met late; a superseded, paused or ended clock has no light.

The same rule is given as a Python function (for one row) and as ``Q`` objects (for counting rows in the database), so
the workbench's badge and the dashboard's number can never disagree. Ages and overdue figures count working days.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Literal

from django.db.models import Q
from django.utils import timezone

from tickets.deadlines import BEIJING, Calendar, working_days_between
from tickets.models import Deadline
from tickets.services.clocks import last_day_of

Light = Literal["red", "yellow", "green", "none"]


def light_of(deadline: Deadline, now: datetime | None = None) -> Light:
    """The light of one clock at ``now``."""
    if deadline.state == Deadline.State.MET:
        return "green" if deadline.met_on_time else "red"
    if deadline.state != Deadline.State.OPEN:
        return "none"
    now = now or timezone.now()
    if deadline.breached_at is not None or deadline.due_at <= now:
        return "red"
    return "yellow" if deadline.warn_at <= now else "green"


def red_q(now: datetime) -> Q:
    """Open clocks that are overdue."""
    return Q(state=Deadline.State.OPEN, due_at__lte=now)


def yellow_q(now: datetime) -> Q:
    """Open clocks past their warning time and not yet due."""
    return Q(state=Deadline.State.OPEN, warn_at__lte=now, due_at__gt=now)


def lit_q(now: datetime) -> Q:
    """Red or yellow: an open clock past its warning time (``warn_at <= due_at``, so every red clock is in)."""
    return Q(state=Deadline.State.OPEN, warn_at__lte=now)


def overdue_working_days(deadline: Deadline, calendar: Calendar, now: datetime) -> int:
    """Working days from the period's last day to today (0 if not yet due): the same count whether the period ends at
    24:00 (written as 00:00 of the next day) or at the centre's close of business."""
    if deadline.due_at > now:
        return 0
    return working_days_between(last_day_of(deadline.due_at), timezone.localdate(now), calendar)


def overdue_by_more_than(days: int, calendar: Calendar, now: datetime) -> datetime:
    """The instant T such that a clock due at or before T is overdue by more than ``days`` working days (as
    ``overdue_working_days`` counts them): midnight starting the (days + 1)-th working day counted back from today."""
    day: date = timezone.localdate(now)
    seen = 0
    for _step in range(3660):  # ten years back at most: a calendar without working days cannot loop forever
        if calendar.is_working_day(day):
            seen += 1
            if seen == days + 1:
                break
        day -= timedelta(days=1)
    return datetime.combine(day, time(0), tzinfo=BEIJING)
