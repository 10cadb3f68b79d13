"""API tokens with django-rest-knox: hashed, expiring like sessions, revoked by a password change or deactivation."""

from __future__ import annotations

import binascii
from hmac import compare_digest
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS, knox_settings
from knox.signals import token_expired
from rest_framework import exceptions

from hotline.prepared import Prepared
from org.models import ApiToken, User

# knox's lookup of the tokens under a key (with their users), compiled once: it is asked on every API request.
_TOKENS_UNDER_KEY = Prepared(ApiToken, lambda key: ApiToken.objects.filter(token_key=key).select_related("user"), "key")


class HotlineTokenAuthentication(TokenAuthentication):
    """knox's check (digest, expiry, auto-refresh up to 12 hours, active user), and the password it was issued under."""

    def authenticate_credentials(self, token: bytes) -> tuple[Any, Any]:
        """knox's, reading the tokens under the key with ``_TOKENS_UNDER_KEY`` instead of a queryset compiled on
        each request (about half a millisecond of the web process's CPU on every API call)."""
        msg = _("Invalid token.")
        text = token.decode("utf-8")
        for auth_token in _TOKENS_UNDER_KEY(key=text[: CONSTANTS.TOKEN_KEY_LENGTH]):
            if self._cleanup_token(auth_token):
                continue
            try:
                digest = hash_token(text)
            except (TypeError, binascii.Error) as error:
                raise exceptions.AuthenticationFailed(msg) from error
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(msg)

    def validate_user(self, auth_token: Any) -> tuple[Any, Any]:
        user, token = super().validate_user(auth_token)
        if not compare_digest(token.password_fingerprint, user.get_session_auth_hash()):
            token.delete()  # the password changed since: the token is revoked for good
            raise exceptions.AuthenticationFailed(_("This token was revoked. Sign in again."))
        return user, token

    def _cleanup_token(self, auth_token: Any) -> bool:
        """knox's for this token alone: an expired one is deleted and refused. knox also reads every other token of
        the user on each request to delete the expired ones; that is done when the user signs in for a new one and
        hourly by beat (``api_tokens_expired_delete``), not once per request."""
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=auth_token.user.get_username(), source="auth_token")
            return True
        return False


def api_tokens_expired_delete(user: User | None = None) -> int:
    """Delete the expired API tokens of ``user`` (of everyone with None)."""
    expired = ApiToken.objects.filter(expiry__lt=timezone.now())
    deleted, _rows = (expired if user is None else expired.filter(user=user)).delete()
    return deleted


def api_tokens_revoke(user: User) -> int:
    """Delete every API token of the user (on deactivation; a password change makes them fail by itself)."""
    deleted, _rows = ApiToken.objects.filter(user=user).delete()
    return deleted


class HotlineTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token: ``Authorization: Token <token>``."""

    target_class = "org.tokens.HotlineTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "header", "name": "Authorization", "description": 'The prefix is "Token "'}
