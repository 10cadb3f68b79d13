"""Login for people (the page) and for API clients (a token), both refusing malformed credentials with a 400."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken

from org.forms import LoginForm


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


class TokenObtainApi(ObtainAuthToken):
    """POST username + password → an API token (usernames longer than the model's are refused before checking)."""

    serializer_class = TokenInput
