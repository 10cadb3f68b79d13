"""Ticket.get_status_display finds the label by value (Django's generated one hashes every lazy label per call) and
gives exactly what Django's would, in both languages, and the raw value for a value that is not a choice."""

from __future__ import annotations

from django.db.models import Model
from django.utils import translation

from tickets.models import Ticket


def test_the_status_label_is_djangos_in_every_language() -> None:
    field = Ticket._meta.get_field("status")
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for value in [*Ticket.Status.values, "not_a_status"]:
                ticket = Ticket(status=value)
                django = Model._get_FIELD_display(ticket, field)  # type: ignore[attr-defined]  # the generic one
                assert ticket.get_status_display() == django, (language, value)
    with translation.override("zh-hans"):
        assert Ticket(status="in_progress").get_status_display() == "办理中"
