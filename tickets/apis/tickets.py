"""GET/POST /api/v1/tickets/ and GET /api/v1/tickets/{number}/."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hotline.api import CheckedCursorPagination, LeanFieldsSerializer, cursor_page, validated
from tickets.apis.output import TicketDetailOutput, TicketListOutput
from tickets.filters import TicketFilter
from tickets.models import Ticket
from tickets.record import ticket_record
from tickets.search.box import by_words
from tickets.search.pages import Windows, count_capped, newest_window
from tickets.selectors import caller_for, ticket_get, ticket_list_search
from tickets.services import ticket_receive, ticket_receive_dispatch

FILTERS = TicketFilter.base_filters


class TicketCursor(CheckedCursorPagination):
    ordering = ("-created_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def __init__(self, *, windows: Windows | None = None) -> None:
        self.windows = windows  # a search: read the newest window of time that fills the page (as /tickets/)

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any] | None:
        if self.windows is not None:
            self.checked_model = queryset.model
            cursor = self.decode_cursor(request)
            if cursor is None or not cursor.reverse:
                edge = Ticket._meta.get_field("created_at").to_python(cursor.position) if cursor else None
                need = (cursor.offset if cursor else 0) + (self.get_page_size(request) or self.page_size) + 1
                queryset = newest_window(self.windows, edge, need)
        return super().paginate_queryset(queryset, request, view)


class TicketListApi(APIView):
    class InputSerializer(LeanFieldsSerializer):
        class Meta:
            ref_name = "TicketReceiveInput"

        class CallerInput(serializers.Serializer):
            name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
            phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")

        channel = serializers.ChoiceField(choices=Ticket.Channel.choices)
        kind = serializers.ChoiceField(choices=Ticket.Kind.choices)
        urgency = serializers.ChoiceField(choices=Ticket.Urgency.choices, default=Ticket.Urgency.NORMAL)
        category = serializers.IntegerField(required=False, allow_null=True)
        area = serializers.IntegerField(required=False, allow_null=True)
        address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
        content = serializers.CharField()
        caller = CallerInput(required=False)
        confidential = serializers.BooleanField(default=False)
        anonymous = serializers.BooleanField(default=False)
        # Dispatch in the same transaction, as the console does: to ``department`` (and ``co_departments``), or to
        # the lead and co-handling departments of the routing table's rule for the category and area.
        dispatch = serializers.BooleanField(default=False)
        department = serializers.IntegerField(required=False, allow_null=True, default=None)
        co_departments = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)

    @extend_schema(
        parameters=[OpenApiParameter(name, str, description=str(f.label or "")) for name, f in FILTERS.items()],
        responses=cursor_page("PaginatedTicketList", TicketListOutput),
        operation_id="v1_tickets_list",
    )
    def get(self, request: Request) -> Response:
        search = ticket_list_search(viewer=request.user, filters=request.query_params)  # type: ignore[arg-type]
        tickets = search.rows(None, None)
        by_word = by_words(request.query_params.get("q", ""))
        paginator = TicketCursor(windows=search.rows if by_word else None)
        page = paginator.paginate_queryset(tickets, request, view=self)
        response = paginator.get_paginated_response(TicketListOutput(page, many=True).data)
        counted = search.counted if by_word else None
        response.data["count"], response.data["count_capped"] = count_capped(tickets, windows=counted)  # as /tickets/
        return response

    @extend_schema(
        request=InputSerializer,
        responses={201: TicketDetailOutput},
        parameters=[
            OpenApiParameter(
                "Prefer",
                str,
                location=OpenApiParameter.HEADER,
                required=False,
                description="return=minimal: answer only the number, status and lead department id (RFC 7240)",
            )
        ],
    )
    def post(self, request: Request) -> Response:
        data: dict[str, Any] = validated(self.InputSerializer, request.data)
        caller = data.pop("caller", {}) or {}
        dispatch, department, co = data.pop("dispatch"), data.pop("department"), data.pop("co_departments")
        fields = {
            "category_id": data.pop("category", None),
            "area_id": data.pop("area", None),
            "caller_name": caller.get("name", ""),
            "caller_phone": caller.get("phone", ""),
            **data,
        }
        if dispatch:  # received, routed and dispatched in one transaction
            ticket = ticket_receive_dispatch(
                actor=request.user,  # type: ignore[arg-type]
                department_id=department,
                co_department_ids=co,
                **fields,
            )
        else:
            ticket = ticket_receive(actor=request.user, **fields)  # type: ignore[arg-type]
        location = f"/api/v1/tickets/{ticket.number}/"
        if _prefers_minimal(request):  # RFC 7240: a bulk client needs the number, not the whole record read back
            minimal = {
                "number": ticket.number,
                "status": ticket.status,
                "lead_department_id": ticket.lead_department_id,
            }
            headers = {"Location": location, "Preference-Applied": "return=minimal"}
            return Response(minimal, status=status.HTTP_201_CREATED, headers=headers)
        return Response(_detail(request, ticket.number), status=status.HTTP_201_CREATED, headers={"Location": location})


def _prefers_minimal(request: Request) -> bool:
    preferences = request.headers.get("Prefer", "")
    return any(p.strip().lower() == "return=minimal" for p in preferences.replace(";", ",").split(","))


class TicketDetailApi(APIView):
    @extend_schema(responses=TicketDetailOutput)
    def get(self, request: Request, number: str) -> Response:
        return Response(_detail(request, number))


def _detail(request: Request, number: str) -> Any:
    viewer = request.user
    ticket = ticket_get(viewer=viewer, number=number, past=True)  # type: ignore[arg-type]
    context = {
        "viewer": viewer,
        "caller": caller_for(viewer=viewer, ticket=ticket),  # type: ignore[arg-type]
        "record": ticket_record(viewer=viewer, ticket=ticket),  # type: ignore[arg-type]
    }
    return TicketDetailOutput(ticket, context=context).data
