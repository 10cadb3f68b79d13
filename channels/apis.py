"""POST /api/v1/tickets/{number}/publish/: a reviewer marks a request public and approves its public text."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from channels.publication import PUBLIC_TEXT_MAX, publication_mark
from hotline.api import ERRORS, ErrorOutput, validated
from org.permissions import request_user
from tickets.selectors import ticket_get


class TicketPublishInput(serializers.Serializer):
    public = serializers.BooleanField()
    public_text = serializers.CharField(required=False, allow_blank=True, default="", max_length=PUBLIC_TEXT_MAX)


class PublicationOutput(serializers.Serializer):
    consent = serializers.BooleanField()
    public = serializers.BooleanField()
    public_text = serializers.CharField()


class TicketPublishApi(APIView):
    """Reviewers only; a confidential request is never published."""

    @extend_schema(
        request=TicketPublishInput,
        responses={
            200: PublicationOutput,
            **{c: OpenApiResponse(ErrorOutput, description=t) for c, t in ERRORS.items()},
        },
    )
    def post(self, request: Request, number: str) -> Response:
        data = validated(TicketPublishInput, request.data)
        actor = request_user(request)
        ticket = ticket_get(viewer=actor, number=number)
        row = publication_mark(ticket_id=ticket.pk, actor=actor, public=data["public"], public_text=data["public_text"])
        return Response(PublicationOutput(row).data)
