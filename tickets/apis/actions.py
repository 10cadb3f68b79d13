"""One POST endpoint per transition: /api/v1/tickets/{number}/{action}/ → the service of that name."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hotline.api import ERRORS, ErrorOutput, validated
from org.models import User
from org.permissions import request_user
from tickets import services
from tickets.apis.output import TicketDetailOutput
from tickets.apis.tickets import _detail
from tickets.models import Contact, Reply, Ticket
from tickets.selectors import ticket_get

ACTION_RESPONSES = {
    200: TicketDetailOutput,
    **{code: OpenApiResponse(ErrorOutput, description=text) for code, text in ERRORS.items()},
}


class TicketActionApi(APIView, ABC):
    """Thin: validate the input, find the ticket in the viewer's scope, call one service, answer the ticket."""

    InputSerializer: type[serializers.Serializer] = serializers.Serializer

    @abstractmethod
    def perform(self, ticket_id: int, actor: User, data: dict[str, Any]) -> object:
        """Call the service of this action."""

    def post(self, request: Request, number: str) -> Response:
        data = validated(self.InputSerializer, request.data)
        actor = request_user(request)
        ticket = ticket_get(viewer=actor, number=number)
        self.perform(ticket.pk, actor, data)
        return Response(_detail(request, number))

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # A named input per operation, so the OpenAPI components never collide.
        cls.InputSerializer = type(f"{cls.__name__.removesuffix('Api')}Input", (cls.InputSerializer,), {})
        inherited = cls.post

        def post(self: TicketActionApi, request: Request, number: str) -> Response:
            return inherited(self, request, number)

        # A function of its own: extend_schema annotates the function object, and the inherited one is shared by all.
        cls.post = extend_schema(request=cls.InputSerializer, responses=ACTION_RESPONSES)(post)  # type: ignore[method-assign]


class Note(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class Reason(serializers.Serializer):
    reason = serializers.CharField()


class TicketAnswerApi(TicketActionApi):
    class InputSerializer(serializers.Serializer):
        answer = serializers.CharField()

    def perform(self, ticket_id: int, actor: User, data: dict[str, Any]) -> object:
        return services.ticket_answer(ticket_id=ticket_id, actor=actor, answer=data["answer"])


class TicketDispatchApi(TicketActionApi):
    class InputSerializer(serializers.Serializer):
        department = serializers.IntegerField()
        co_departments = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)

    def perform(self, ticket_id: int, actor: User, data: dict[str, Any]) -> object:
        return services.ticket_dispatch(
            ticket_id=ticket_id, actor=actor, department_id=data["department"], co_department_ids=data["co_departments"]
        )


class TicketSubDispatchApi(TicketActionApi):
    class InputSerializer(Note):
        department = serializers.IntegerField()

    def perform(self, ticket_id: int, actor: User, data: dict[str, Any]) -> object:
        return services.ticket_sub_dispatch(
            ticket_id=ticket_id, actor=actor, department_id=data["department"], note=data["note"]
        )


class TicketTakeApi(TicketActionApi):
    def perform(self, ticket_id: int, actor: User, data: dict[str, Any]) -> object:
        return services.ticket_take(ticket_id=ticket_id, actor=actor)


class TicketReleaseApi(TicketActionApi):
    def perform(self, ticket_id: int, actor: User, data: dict[str, Any]) -> object:
        return services.ticket_release(ticket_id=ticket_id, actor=actor)


class TicketCompleteApi(TicketActionApi):
    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=Ticket.Kind.choices)
        urgency = serializers.ChoiceField(choices=Ticket.Urgency.choices)
        category = serializers.IntegerField(required=False, allow_null=True, default=None)
        area = serializers.IntegerField(required=False, allow_null=True, default=None)
        address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def perform(self, ticket_id: int, actor: User, data: dict[str, Any]) -> object:
        return services.ticket_complete(
            ticket_id=ticket_id,
            actor=actor,
            kind=data["kind"],
            urgency=data["urgency"],
            category_id=data["category"],
            area_id=data["area"],
            address=data["address"],
        )


class TicketUnitReplyApi(TicketActionApi):
    class InputSerializer(serializers.Serializer):
        text = serializers.CharField()

    def perform(self, ticket_id: int, actor: User, data: dict[str, Any]) -> object:
        return services.ticket_unit_reply(ticket_id=ticket_id, actor=actor, text=data["text"])


class TicketSignApi(TicketActionApi):
    def perform(self, ticket_id: int, actor: User, data: dict[str, Any]) -> object:
        return services.ticket_sign(ticket_id=ticket_id, actor=actor)


class TicketContactApi(TicketActionApi):
    class InputSerializer(Note):
        channel = serializers.ChoiceField(choices=Contact.Channel.choices)
        contacted_at = serializers.DateTimeField(required=False, allow_null=True, default=None)

    def perform(self, ticket_id: int, actor: User, data: dict[str, Any]) -> object:
        return services.ticket_contact(
            ticket_id=ticket_id,
            actor=actor,
            channel=data["channel"],
            note=data["note"],
            contacted_at=data["contacted_at"],
        )


class TicketReturnApi(TicketActionApi):
    InputSerializer = Reason

    def perform(self, ticket_id: int, actor: User, data: dict[str, Any]) -> object:
        return services.ticket_return(ticket_id=ticket_id, actor=actor, reason=data["reason"])


class TicketArbitrateReturnApi(TicketActionApi):
    class InputSerializer(Note):
        accept = serializers.BooleanField()
        department = serializers.IntegerField(required=False, allow_null=True, default=None)
        co_departments = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)

    def perform(self, ticket_id: int, actor: User, data: dict[str, Any]) -> object:
        return services.ticket_arbitrate_return(
            ticket_id=ticket_id,
            actor=actor,
            accept=data["accept"],
            note=data["note"],
            department_id=data["department"],
            co_department_ids=data["co_departments"],
        )


class TicketExtendApi(TicketActionApi):
    class InputSerializer(Reason):
        new_due_date = serializers.DateField()
        citizen_informed = serializers.BooleanField()

    def perform(self, ticket_id: int, actor: User, data: dict[str, Any]) -> object:
        return services.ticket_extend(
            ticket_id=ticket_id,
            actor=actor,
            reason=data["reason"],
            new_due_date=data["new_due_date"],
            citizen_informed=data["citizen_informed"],
        )


class TicketDecideExtensionApi(TicketActionApi):
    class InputSerializer(Note):
        approve = serializers.BooleanField()

    def perform(self, ticket_id: int, actor: User, data: dict[str, Any]) -> object:
        return services.ticket_decide_extension(
            ticket_id=ticket_id, actor=actor, approve=data["approve"], note=data["note"]
        )


class TicketReplyApi(TicketActionApi):
    class InputSerializer(serializers.Serializer):
        outcome = serializers.ChoiceField(choices=Reply.Outcome.choices)
        text = serializers.CharField()

    def perform(self, ticket_id: int, actor: User, data: dict[str, Any]) -> object:
        return services.ticket_reply(ticket_id=ticket_id, actor=actor, outcome=data["outcome"], text=data["text"])


class TicketApproveReplyApi(TicketActionApi):
    InputSerializer = Note

    def perform(self, ticket_id: int, actor: User, data: dict[str, Any]) -> object:
        return services.ticket_approve_reply(ticket_id=ticket_id, actor=actor, note=data["note"])


class TicketSendBackApi(TicketActionApi):
    InputSerializer = Reason

    def perform(self, ticket_id: int, actor: User, data: dict[str, Any]) -> object:
        return services.ticket_send_back(ticket_id=ticket_id, actor=actor, reason=data["reason"])


class TicketMergeApi(TicketActionApi):
    class InputSerializer(serializers.Serializer):
        main = serializers.CharField(max_length=14)

    def perform(self, ticket_id: int, actor: User, data: dict[str, Any]) -> object:
        return services.ticket_merge(ticket_id=ticket_id, actor=actor, main_number=data["main"])


class TicketSuperviseApi(TicketActionApi):
    InputSerializer = Reason

    def perform(self, ticket_id: int, actor: User, data: dict[str, Any]) -> object:
        return services.ticket_supervise(ticket_id=ticket_id, actor=actor, reason=data["reason"])


class TicketRemindApi(TicketActionApi):
    InputSerializer = Reason

    def perform(self, ticket_id: int, actor: User, data: dict[str, Any]) -> object:
        return services.ticket_remind(ticket_id=ticket_id, actor=actor, reason=data["reason"])


class TicketCloseApi(TicketActionApi):
    InputSerializer = Note

    def perform(self, ticket_id: int, actor: User, data: dict[str, Any]) -> object:
        return services.ticket_close(ticket_id=ticket_id, actor=actor, note=data["note"])


ACTIONS: dict[str, type[TicketActionApi]] = {
    "take": TicketTakeApi,
    "release": TicketReleaseApi,
    "complete": TicketCompleteApi,
    "unit-reply": TicketUnitReplyApi,
    "answer": TicketAnswerApi,
    "dispatch": TicketDispatchApi,
    "sub-dispatch": TicketSubDispatchApi,
    "sign": TicketSignApi,
    "contact": TicketContactApi,
    "return": TicketReturnApi,
    "arbitrate-return": TicketArbitrateReturnApi,
    "extend": TicketExtendApi,
    "decide-extension": TicketDecideExtensionApi,
    "reply": TicketReplyApi,
    "approve-reply": TicketApproveReplyApi,
    "send-back": TicketSendBackApi,
    "merge": TicketMergeApi,
    "supervise": TicketSuperviseApi,
    "remind": TicketRemindApi,
    "close": TicketCloseApi,
}
