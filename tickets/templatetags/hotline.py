"""Template helpers: deadline lights (green / yellow 黄灯 / red 红灯) and masked numbers."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from tickets.deadlines import Calendar
from tickets.lights import light_of, overdue_working_days
from tickets.models import Deadline
from tickets.permissions import mask_phone

register = template.Library()


COLOURS = {"red": "danger", "yellow": "warning", "green": "success", "none": "secondary"}


@register.filter
def light(deadline: Deadline) -> str:
    """Bootstrap colour of a clock's light (``tickets.lights.light_of``, the one definition of red and yellow)."""
    return COLOURS[light_of(deadline)]


@register.filter
def light_label(deadline: Deadline) -> str:
    """The light in words, so that it is never told by colour alone."""
    if deadline.state in (Deadline.State.ENDED, Deadline.State.PAUSED):
        return str(deadline.get_state_display())
    colour = light(deadline)
    if colour == "danger":  # only the label shown is translated: a queue page asks this for each of its rows
        return _("Overdue")
    if colour == "warning":
        return _("Due soon")
    return _("On time") if colour == "success" else _("Superseded")


@register.filter
def overdue_days(deadline: Deadline, calendar: Calendar) -> int:
    """How many working days an overdue clock is late (0 when not overdue, or late only since today's end)."""
    return overdue_working_days(deadline, calendar, timezone.now()) if deadline.state == Deadline.State.OPEN else 0


@register.filter
def masked(phone: str) -> str:
    return mask_phone(phone or "")


@register.filter
def action_label(verb: str) -> str:
    """The Chinese (or English) name of an action or timeline event: 派单, 响应 超期, 回访核实 …"""
    from tickets.views.labels import ACTION_LABELS, CLOCK_EVENT_SUFFIXES, EVENT_LABELS

    if verb in ACTION_LABELS or verb in EVENT_LABELS:
        return str(ACTION_LABELS.get(verb) or EVENT_LABELS[verb])
    for suffix, label in CLOCK_EVENT_SUFFIXES.items():
        kind = verb.removesuffix(suffix)
        if kind != verb and kind in Deadline.Kind.values:
            return f"{Deadline.Kind(kind).label} {label}"
    return verb


@register.filter
def get_item(mapping: dict, key: str) -> object:
    return mapping.get(key)
