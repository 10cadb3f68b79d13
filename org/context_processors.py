from __future__ import annotations

from django.http import HttpRequest

from org.calendar import unconfirmed_years
from org.models import User


def calendar_alert(request: HttpRequest) -> dict:
    """Admins see a standing alert while this year's or next year's calendar is not confirmed."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or user.role != User.Role.ADMIN:
        return {}
    return {"calendar_unconfirmed_years": unconfirmed_years()}
