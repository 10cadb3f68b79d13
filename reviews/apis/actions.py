"""POST /api/v1/rectifications/{id}/{action}/ and /api/v1/appeals/{id}/{action}/, one service each."""

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
from reviews import services
from reviews.apis.output import AppealOutput, RectificationOutput
from reviews.apis.views import _get_scoped
from reviews.models import Appeal, Rectification


class ObjectActionApi(APIView, ABC):
    model: type[Rectification] | type[Appeal] = Rectification
    output: type[serializers.ModelSerializer] = RectificationOutput
    InputSerializer: type[serializers.Serializer] = serializers.Serializer

    @abstractmethod
    def perform(self, pk: int, actor: User, data: dict[str, Any]) -> object:
        """Call the service of this action."""

    def post(self, request: Request, pk: int) -> Response:
        data = validated(self.InputSerializer, request.data)
        actor = request_user(request)
        _get_scoped(self.model, request, pk)  # out of scope answers 404 before anything else
        self.perform(pk, actor, data)
        return Response(self.output(_get_scoped(self.model, request, pk)).data)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.InputSerializer = type(f"{cls.__name__.removesuffix('Api')}Input", (cls.InputSerializer,), {})
        inherited = cls.post

        def post(self: ObjectActionApi, request: Request, pk: int) -> Response:
            return inherited(self, request, pk)

        # A function of its own: extend_schema annotates the function object, and the inherited one is shared by all.
        responses = {200: cls.output, **{c: OpenApiResponse(ErrorOutput, description=t) for c, t in ERRORS.items()}}
        cls.post = extend_schema(request=cls.InputSerializer, responses=responses)(post)  # type: ignore[method-assign]


class Note(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RectificationVerifyApi(ObjectActionApi):
    InputSerializer = Note

    def perform(self, pk: int, actor: User, data: dict[str, Any]) -> object:
        return services.rectification_verify(rectification_id=pk, actor=actor, note=data["note"])


class RectificationReportApi(ObjectActionApi):
    class InputSerializer(serializers.Serializer):
        report_type = serializers.ChoiceField(choices=Rectification.ReportType.choices)
        text = serializers.CharField()
        ledger_due_date = serializers.DateField(required=False, allow_null=True, default=None)

    def perform(self, pk: int, actor: User, data: dict[str, Any]) -> object:
        return services.rectification_report(rectification_id=pk, actor=actor, **data)


class RectificationDecideInvalidApi(ObjectActionApi):
    class InputSerializer(Note):
        approve = serializers.BooleanField()

    def perform(self, pk: int, actor: User, data: dict[str, Any]) -> object:
        return services.rectification_decide_invalid(rectification_id=pk, actor=actor, **data)


class RectificationLedgerContactApi(ObjectActionApi):
    InputSerializer = Note

    def perform(self, pk: int, actor: User, data: dict[str, Any]) -> object:
        return services.rectification_ledger_contact(rectification_id=pk, actor=actor, note=data["note"])


class RectificationLedgerDoneApi(ObjectActionApi):
    InputSerializer = Note

    def perform(self, pk: int, actor: User, data: dict[str, Any]) -> object:
        return services.rectification_ledger_done(rectification_id=pk, actor=actor, note=data["note"])


class RectificationInformApi(ObjectActionApi):
    InputSerializer = Note

    def perform(self, pk: int, actor: User, data: dict[str, Any]) -> object:
        return services.rectification_inform(rectification_id=pk, actor=actor, note=data["note"])


class AppealOpinionApi(ObjectActionApi):
    model, output = Appeal, AppealOutput

    class InputSerializer(Note):
        supports = serializers.BooleanField()

    def perform(self, pk: int, actor: User, data: dict[str, Any]) -> object:
        return services.appeal_opinion(appeal_id=pk, actor=actor, **data)


class AppealDecideApi(ObjectActionApi):
    model, output = Appeal, AppealOutput

    class InputSerializer(Note):
        upheld = serializers.BooleanField()

    def perform(self, pk: int, actor: User, data: dict[str, Any]) -> object:
        return services.appeal_decide(appeal_id=pk, actor=actor, **data)


RECTIFICATION_ACTIONS: dict[str, type[ObjectActionApi]] = {
    "verify": RectificationVerifyApi,
    "report": RectificationReportApi,
    "decide-invalid": RectificationDecideInvalidApi,
    "ledger-contact": RectificationLedgerContactApi,
    "ledger-done": RectificationLedgerDoneApi,
    "inform": RectificationInformApi,
}
APPEAL_ACTIONS: dict[str, type[ObjectActionApi]] = {"opinion": AppealOpinionApi, "decide": AppealDecideApi}
