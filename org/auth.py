"""Login backend and password validator that refuse well-known passwords outside development."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db.models import Case, F, Q, Value, When
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from org.models import LoginThrottle, User

logger = logging.getLogger(__name__)


def login_slot_take(user_id: int) -> bool:
    """Count one password check for the account, or refuse it: at most AXES_FAILURE_LIMIT per lock period.

    One conditional UPDATE (atomic under any concurrency: PostgreSQL re-checks the condition after waiting on the
    row). A period ends when AXES_COOLOFF_TIME passes without an attempt; a refused attempt extends it.
    """
    now = timezone.now()
    cutoff = now - settings.AXES_COOLOFF_TIME
    LoginThrottle.objects.bulk_create([LoginThrottle(user_id=user_id, last_attempt_at=now)], ignore_conflicts=True)
    throttle = LoginThrottle.objects.filter(user_id=user_id)
    taken = throttle.filter(Q(evaluations__lt=settings.AXES_FAILURE_LIMIT) | Q(last_attempt_at__lt=cutoff)).update(
        evaluations=Case(When(last_attempt_at__lt=cutoff, then=Value(1)), default=F("evaluations") + 1),
        last_attempt_at=now,
    )
    if not taken:
        throttle.update(last_attempt_at=now)
    return bool(taken)


class HotlineModelBackend(ModelBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if password is not None and password in settings.REFUSED_PASSWORDS:
            logger.warning("login refused: well-known password for %r", username)
            return None
        account = User.objects.filter(username=username).values_list("pk", flat=True).first() if username else None
        if account is not None and not login_slot_take(account):
            logger.warning("login refused: account %r is locked", username)
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and settings.AXES_RESET_ON_SUCCESS:
            LoginThrottle.objects.filter(user_id=user.pk).update(evaluations=0)
        return user

    def get_user(self, user_id: Any) -> Any:
        """The signed-in user of a session, with their department (every page names it: one query, not two)."""
        try:
            user = User._default_manager.select_related("department").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class RefusedPasswordValidator:
    """Rejects the demo password and any other well-known password listed in settings.REFUSED_PASSWORDS."""

    def validate(self, password: str, user: Any = None) -> None:
        if password in settings.REFUSED_PASSWORDS:
            raise ValidationError(_("This password is publicly known and cannot be used."), code="password_refused")

    def get_help_text(self) -> str:
        return _("Your password cannot be a publicly known password such as the demo password.")
