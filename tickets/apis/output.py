"""Output shapes of the ticket API (read-only: ``status`` is never writable)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from tickets import permissions
from tickets.apis.record_output import record_parts
from tickets.models import Deadline, Ticket, TicketEvent
from tickets.selectors import masked_caller


class DeadlineOutput(serializers.ModelSerializer):
    overdue = serializers.BooleanField(source="is_overdue")

    class Meta:
        model = Deadline
        fields = [
            "kind",
            "state",
            "started_at",
            "due_at",
            "warn_at",
            "provisional",
            "warned_at",
            "breached_at",
            "met_at",
            "overdue",
        ]


class EventOutput(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, allow_null=True)

    class Meta:
        model = TicketEvent
        fields = ["verb", "actor", "from_status", "to_status", "note", "payload", "at"]


class TicketListOutput(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name", default=None, allow_null=True)
    lead_department = serializers.CharField(source="lead_department.name", default=None, allow_null=True)
    caller = serializers.SerializerMethodField()
    deadlines = DeadlineOutput(source="open_deadlines", many=True)

    class Meta:
        model = Ticket
        fields = [
            "number",
            "status",
            "channel",
            "kind",
            "urgency",
            "category",
            "lead_department",
            "created_at",
            "caller",
            "deadlines",
        ]

    def get_caller(self, ticket: Ticket) -> dict[str, str] | None:
        return masked_caller(ticket)


class TicketDetailOutput(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name", default=None, allow_null=True)
    lead_department = serializers.CharField(source="lead_department.name", default=None, allow_null=True)
    area = serializers.CharField(source="area.name", default=None, allow_null=True)
    merged_into = serializers.CharField(source="merged_into.number", default=None, allow_null=True)
    caller = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = [
            "number",
            "status",
            "channel",
            "kind",
            "urgency",
            "category",
            "area",
            "address",
            "content",
            "confidential",
            "anonymous",
            "lead_department",
            "merged_into",
            "created_at",
            "caller",
            "deadlines",
            "events",
            "actions",
        ]

    def get_caller(self, ticket: Ticket) -> Any:
        return self.context["caller"]

    def to_representation(self, instance: Ticket) -> Any:
        """The ticket, then the whole record (``replies``, ``surveys``, ``rectifications``, ``appeals``, …)."""
        data = super().to_representation(instance)
        data.update(record_parts(self.context["record"]))
        return data

    def get_deadlines(self, ticket: Ticket) -> Any:
        return DeadlineOutput(ticket.deadlines.order_by("started_at", "pk"), many=True).data

    def get_events(self, ticket: Ticket) -> Any:
        return EventOutput(self.context["record"].events, many=True).data

    def get_actions(self, ticket: Ticket) -> list[str]:
        return permissions.actions_available(self.context["viewer"], ticket)
