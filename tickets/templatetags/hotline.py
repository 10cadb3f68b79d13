"""Template helpers: deadline lights (green / yellow 黄灯 / red 红灯) and masked numbers."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from tickets.models import Deadline
from tickets.permissions import mask_phone

register = template.Library()


@register.filter
def light(deadline: Deadline) -> str:
    """Bootstrap colour of a clock: red when overdue, yellow past its warning time, green otherwise, grey when done."""
    if deadline.state == Deadline.State.SUPERSEDED:
        return "secondary"
    now = timezone.now()
    if deadline.state == Deadline.State.MET:
        return "success" if deadline.met_on_time else "danger"
    if deadline.breached_at or deadline.due_at <= now:
        return "danger"
    if deadline.warned_at or deadline.warn_at <= now:
        return "warning"
    return "success"


@register.filter
def light_label(deadline: Deadline) -> str:
    return {"danger": _("Overdue"), "warning": _("Due soon"), "success": _("On time"), "secondary": _("Superseded")}[
        light(deadline)
    ]


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
