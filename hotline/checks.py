"""What production needs from its environment before it serves or works (DESIGN.md section 7): a secret key, its host
names and an SMS gateway chosen explicitly (supervision/checks.py adds the reports' signing key).

They are checked by the system checks (migrate, check, runserver) and again by every process that serves or works:
hotline/wsgi.py for gunicorn and hotline/celery.py for the worker and beat, which run no system checks. Not when the
settings are read: a static build (collectstatic in the image) reads them too, and it serves, signs and sends nothing,
so it must build with none of these secrets.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.core.exceptions import ImproperlyConfigured


def production_problems() -> list[str]:
    """What the environment lacks for production (nothing outside it)."""
    if not settings.PRODUCTION:
        return []
    problems = []
    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django's own refusal of an empty key: ours says what to set
        key = ""
    if len(key) < 50 or key.startswith("django-insecure"):
        problems.append("Production needs SECRET_KEY: at least 50 random characters.")
    if not settings.ALLOWED_HOSTS:
        problems.append("Production needs ALLOWED_HOSTS, e.g. ALLOWED_HOSTS=hotline.example.gov.cn")
    if not settings.SMS_BACKEND:
        problems.append(
            "Production needs SMS_BACKEND: the gateway's class, or hotline.sms.ConsoleBackend to only log (masked)"
            " texts."
        )
    return problems


def production_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    return [Error(problem, id=f"hotline.E00{n}") for n, problem in enumerate(production_problems(), start=1)]


def refuse_unsafe_production() -> None:
    """Stop a serving or working process that production's environment does not allow."""
    from supervision.checks import KEY_MESSAGE, weak_signing_key

    problems = production_problems() + ([KEY_MESSAGE] if weak_signing_key() else [])
    if problems:
        raise ImproperlyConfigured(" ".join(problems))
