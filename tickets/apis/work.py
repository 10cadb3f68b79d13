"""GET /api/v1/work/: the requesting user's to-do, drawn from the owner function like every queue page."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from org.permissions import request_user
from tickets.models import Ticket
from tickets.work import ASSISTS, assists, counts_together, work_queues


class WorkTicketOutput(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name", default=None, allow_null=True)
    lead_department = serializers.CharField(source="lead_department.name", default=None, allow_null=True)
    due_at = serializers.DateTimeField(source="owner_due_at")
    since = serializers.DateTimeField(source="owner_since")

    # The columns these fields read (and the queue's order: tickets.work.queue_tickets), for ``QuerySet.only``.
    COLUMNS = ("number", "status", "channel", "kind", "urgency", "category__name", "lead_department__name",
               "owner_due_at", "owner_since")  # fmt: skip

    class Meta:
        model = Ticket
        fields = ["number", "status", "channel", "kind", "urgency", "category", "lead_department", "due_at", "since"]


class WorkQueueOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # the key the API promises
    count = serializers.IntegerField()
    tickets = WorkTicketOutput(many=True)


class AssistOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # the key the API promises
    count = serializers.IntegerField()
    tickets = serializers.ListField(child=serializers.CharField())


class WorkOutput(serializers.Serializer):
    queues = WorkQueueOutput(many=True)
    assists = AssistOutput(many=True)


class WorkApi(APIView):
    """Each queue the user works: its true count and its first page, soonest due first. ``assists`` lists help
    asked of the user's department on tickets that others own (co-handling, ledger entries)."""

    @extend_schema(responses=WorkOutput)
    def get(self, request: Request) -> Response:
        user = request_user(request)
        rows = assists(user)
        counts = counts_together({key: queryset.order_by() for key, queryset in rows.items()})
        helps = [
            {
                "key": key,
                "label": ASSISTS[key],
                "count": counts[key],
                "tickets": list(queryset.values_list("ticket__number", flat=True)[:50]),
            }
            for key, queryset in rows.items()
        ]
        queues = work_queues(user, columns=WorkTicketOutput.COLUMNS)
        return Response(WorkOutput({"queues": queues, "assists": helps}).data)
