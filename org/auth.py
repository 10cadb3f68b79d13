"""Login backend and password validator that refuse well-known passwords outside development."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class HotlineModelBackend(ModelBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if password is not None and password in settings.REFUSED_PASSWORDS:
            logger.warning("login refused: well-known password for %r", username)
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class RefusedPasswordValidator:
    """Rejects the demo password and any other well-known password listed in settings.REFUSED_PASSWORDS."""

    def validate(self, password: str, user: Any = None) -> None:
        if password in settings.REFUSED_PASSWORDS:
            raise ValidationError(_("This password is publicly known and cannot be used."), code="password_refused")

    def get_help_text(self) -> str:
        return _("Your password cannot be a publicly known password such as the demo password.")
