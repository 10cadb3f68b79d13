"""GET /api/v1/work/: the requesting user's to-do, drawn from the owner function like every queue page."""

from __future__ import annotations

from django.db.models import F, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from org.permissions import request_user
from tickets.models import Ticket
from tickets.work import ASSISTS, assist_counts, assists, work_queues


class WorkTicketOutput(serializers.ModelSerializer):
    category = serializers.CharField(source="category_name", default=None, allow_null=True)
    lead_department = serializers.CharField(source="lead_department_name", default=None, allow_null=True)
    due_at = serializers.DateTimeField(source="owner_due_at")
    since = serializers.DateTimeField(source="owner_since")

    @staticmethod
    def rows(queue: QuerySet[Ticket]) -> QuerySet[Ticket]:
        """A queue's query narrowed to what these fields read: the ticket's own columns (its search words are not
        among them) and the names beside, without a category and a department object for each row."""
        return (
            queue.select_related(None)
            .only("number", "status", "channel", "kind", "urgency", "owner_due_at", "owner_since")
            .annotate(category_name=F("category__name"), lead_department_name=F("lead_department__name"))
        )

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
        counts = assist_counts(rows)
        helps = [
            {
                "key": key,
                "label": ASSISTS[key],
                "count": counts[key],
                "tickets": list(queryset.values_list("ticket__number", flat=True)[:50]),
            }
            for key, queryset in rows.items()
        ]
        queues = work_queues(user, shape=WorkTicketOutput.rows)
        return Response(WorkOutput({"queues": queues, "assists": helps}).data)
