"""Login for people (the page) and for API clients (a knox token), both refusing malformed credentials with a 400."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from org.forms import LoginForm
from org.models import ApiToken, User
from org.tokens import api_tokens_expired_delete


class LoginView(auth_views.LoginView):
    """Django's login page; a refused login answers 400 (the form with its Chinese error), not 200."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class TokenInput(AuthTokenSerializer):
    username = serializers.CharField(label=_("Username"), max_length=150, write_only=True)


class TokenObtainApi(APIView):
    """POST username + password → a new API token (shown once; only its digest is stored) and its expiry."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=TokenInput,
        responses=inline_serializer(
            "TokenOutput", {"token": serializers.CharField(), "expiry": serializers.DateTimeField()}
        ),
    )
    def post(self, request: Request) -> Response:
        data = TokenInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        user: User = data.validated_data["user"]
        api_tokens_expired_delete(user)
        instance, token = ApiToken.objects.create(user=user, password_fingerprint=user.get_session_auth_hash())
        return Response({"token": token, "expiry": instance.expiry or timezone.now()})
