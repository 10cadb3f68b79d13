"""Thin APIs for the statutory rates."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hotline.errors import DomainError, NotFound
from hotline.inputs import validate_year_in_range
from org.models import Department
from org.permissions import request_user
from reviews import permissions
from supervision import rates


class RatesApi(APIView):
    """GET /api/v1/stats/rates/?department=<id>&from=YYYY-MM-DD&to=YYYY-MM-DD&as_of=<ISO 8601 instant>

    Each rate as numerator, denominator and value, computed from the rows as they stood at ``as_of`` (default now):
    the same question asked later with the same ``as_of`` has the same answer.
    """

    class QuerySerializer(serializers.Serializer):
        department = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
        start = serializers.DateField(validators=[validate_year_in_range])
        end = serializers.DateField(validators=[validate_year_in_range])
        as_of = serializers.DateTimeField(required=False)

        def validate_as_of(self, value: datetime) -> datetime:
            validate_year_in_range(value.date())  # before any time-zone arithmetic, which overflows near year 9999
            return value

    @extend_schema(
        parameters=[
            OpenApiParameter("department", int),
            OpenApiParameter("from", str, required=True),
            OpenApiParameter("to", str, required=True),
            OpenApiParameter("as_of", OpenApiTypes.DATETIME, description="default: now"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        params = {"start": request.query_params.get("from"), "end": request.query_params.get("to")}
        for name in ("department", "as_of"):
            if request.query_params.get(name):
                params[name] = request.query_params[name]
        query = self.QuerySerializer(data=params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        if data["start"] > data["end"]:
            raise DomainError(_("The period must start before it ends."), code="invalid_period")
        viewer = request_user(request)
        department = Department.objects.filter(pk=data["department"]).first() if "department" in data else None
        if department is None and "department" in data:
            raise NotFound(_("Not found."))
        if department is None and not viewer.sees_everything:
            department = viewer.department
        if department is not None:
            permissions.ensure_in_scope(viewer, department)
        as_of = data.get("as_of") or timezone.now()
        result = rates.rates(department=department, start=data["start"], end=data["end"], as_of=as_of)
        return Response(
            {
                "department": department.pk if department else None,
                "from": data["start"],
                "to": data["end"],
                "as_of": as_of,
                "rates": {
                    name: {"numerator": r.numerator, "denominator": r.denominator, "value": r.value}
                    for name, r in result.items()
                },
            }
        )
