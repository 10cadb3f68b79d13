"""Domain errors raised by services; the API turns them into {"code", "detail"} with the right status."""

from __future__ import annotations

from django_stubs_ext import StrOrPromise


class DomainError(Exception):
    """Bad input or a broken rule: 400. ``message`` is translatable and shown to the user."""

    status = 400
    code = "invalid"

    def __init__(self, message: StrOrPromise, *, code: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code


class NotFound(DomainError):
    """Missing, or outside the user's scope (both look the same)."""

    status = 404
    code = "not_found"


class Forbidden(DomainError):
    """Visible to the user, but their role may not do this."""

    status = 403
    code = "forbidden"


class TransitionNotAllowed(DomainError):
    """The action is not allowed from the ticket's current state."""

    status = 409
    code = "transition_not_allowed"
