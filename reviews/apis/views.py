"""Thin APIs for surveys, rectifications, appeals and fraud flags."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import UnsupportedMediaType
from rest_framework.generics import ListAPIView
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hotline.api import CheckedCursorPagination, validated
from hotline.errors import Forbidden, NotFound
from org.models import User
from org.permissions import request_user
from reviews import permissions, services
from reviews.apis.output import AppealOutput, FlagOutput, RectificationOutput, SurveyOutput
from reviews.ivr import ivr_verify
from reviews.models import Appeal, FraudFlag, Rectification, SurveyAttempt, SurveyRound
from tickets.apis.actions import TicketActionApi


class TicketSurveyApi(TicketActionApi):
    """POST /api/v1/tickets/{number}/survey/: the operator's callback (an attempt, or the answer)."""

    class InputSerializer(serializers.Serializer):
        outcome = serializers.ChoiceField(choices=SurveyAttempt.Outcome.choices)
        rating = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True, default=None)
        solved = serializers.BooleanField(required=False, allow_null=True, default=None)
        comment = serializers.CharField(required=False, allow_blank=True, default="")

    def perform(self, ticket_id: int, actor: User, data: dict[str, Any]) -> object:
        return services.ticket_survey(ticket_id=ticket_id, actor=actor, **data)


class IvrSurveyApi(APIView):
    """POST /api/v1/ivr/survey/ from the IVR, signed with X-Hotline-Timestamp and X-Hotline-Signature."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]  # the signature covers the raw JSON body, which a form parser would consume first

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "IvrSurveyInput"

        ticket = serializers.CharField(max_length=14)
        rating = serializers.IntegerField(min_value=1, max_value=5)
        solved = serializers.BooleanField()

    @extend_schema(request=InputSerializer, responses={201: SurveyOutput})
    def post(self, request: Request) -> Response:
        from django.db import transaction

        if request.content_type.split(";")[0].strip() != "application/json":
            raise UnsupportedMediaType(request.content_type)
        with transaction.atomic():
            ivr_verify(
                body=request.body,
                timestamp=request.headers.get("X-Hotline-Timestamp", ""),
                signature=request.headers.get("X-Hotline-Signature", ""),
            )
            data = validated(self.InputSerializer, request.data)
            survey = services.survey_answer_ivr(number=data["ticket"], rating=data["rating"], solved=data["solved"])
        return Response(SurveyOutput(survey).data, status=status.HTTP_201_CREATED)


class NewestFirst(CheckedCursorPagination):
    ordering = "-id"
    page_size = 50


class ScopedListApi(ListAPIView):
    """A list of rows whose department is in the viewer's subtree (all rows for the centre)."""

    pagination_class = NewestFirst
    model: type[Model]
    related: tuple[str, ...] = ()

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()  # type: ignore[attr-defined]
        rows = self.model.objects.select_related(*self.related).order_by("-pk")  # type: ignore[attr-defined]
        return permissions.scoped(request_user(self.request), rows)


class SurveyListApi(ScopedListApi):
    model, related, serializer_class = SurveyRound, ("ticket", "department"), SurveyOutput


class RectificationListApi(ScopedListApi):
    model, related, serializer_class = Rectification, ("ticket", "department", "round"), RectificationOutput


class AppealListApi(ScopedListApi):
    model, related, serializer_class = Appeal, ("ticket", "department", "round", "applicant"), AppealOutput

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "AppealApplyInput"

        ticket = serializers.CharField(max_length=14)
        reasons = serializers.CharField()

    @extend_schema(request=InputSerializer, responses={201: AppealOutput})
    def post(self, request: Request) -> Response:
        data = validated(self.InputSerializer, request.data)
        appeal = services.appeal_apply(
            ticket_number=data["ticket"], actor=request_user(request), reasons=data["reasons"]
        )
        return Response(AppealOutput(appeal).data, status=status.HTTP_201_CREATED)


class FlagListApi(ListAPIView):
    serializer_class = FlagOutput
    pagination_class = NewestFirst

    def get_queryset(self) -> QuerySet[FraudFlag]:
        if getattr(self, "swagger_fake_view", False):
            return FraudFlag.objects.none()
        if request_user(self.request).role not in ("reviewer", "supervisor", "admin"):
            raise Forbidden(_("Your role may not do this."))
        return FraudFlag.objects.select_related("round__ticket")


class ObjectDetailApi(APIView):
    model: type[Rectification] | type[Appeal]
    output: type[serializers.ModelSerializer]

    def get(self, request: Request, pk: int) -> Response:
        return Response(self.output(_get_scoped(self.model, request, pk)).data)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.get = extend_schema(responses=cls.output)(cls.get)  # type: ignore[method-assign]


def _get_scoped(model: Any, request: Request, pk: int) -> Any:
    row = permissions.scoped(request_user(request), model.objects.filter(pk=pk)).first()
    if row is None:
        raise NotFound(_("Not found."))
    return row


class RectificationDetailApi(ObjectDetailApi):
    model, output = Rectification, RectificationOutput


class AppealDetailApi(ObjectDetailApi):
    model, output = Appeal, AppealOutput
