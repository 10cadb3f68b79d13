"""System checks of the supervision app: production's report signing key (run by migrate and check, not by a static
build, which signs nothing)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error

KEY_MESSAGE = "Production needs REPORTS_SIGNING_KEY: at least 32 random characters, kept secret."


def weak_signing_key() -> bool:
    key = settings.REPORTS_SIGNING_KEY
    return settings.PRODUCTION and (len(key) < 32 or key == settings.INSECURE_REPORTS_KEY)


def signing_key_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    return [Error(KEY_MESSAGE, id="supervision.E001")] if weak_signing_key() else []
