"""Checks of untrusted input shared by pages, the API and the citizen channels; each refusal is a Chinese 4xx.

Services call these so that every channel gets the same limits: lengths that match the model fields, no NUL (which
PostgreSQL cannot store), finite numbers, dates inside the years the calendar can reason about, ASCII integers only
(``"²".isdigit()`` is true in Python, but ``int("²")`` fails).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hotline.errors import DomainError

CONTENT_MAX = 4000  # the citizen form's limit, for every channel
FIRST_YEAR, LAST_YEAR = 2000, 2100  # figures and calendars make sense inside these years only
MAX_ID_DIGITS = 18  # below 2**63: larger numbers overflow PostgreSQL's bigint
FUTURE_DAYS = 366  # an extension or a ledger deadline is at most a year ahead


def has_nul(value: str) -> bool:
    return "\x00" in value


def text_limits(**fields: tuple[str, int]) -> None:
    """Each keyword is ``name=(value, max_length)``: refuse NUL and over-long text before it reaches the database."""
    for value, limit in fields.values():
        if has_nul(value):
            raise DomainError(_("The text contains a character that is not allowed."), code="invalid_character")
        if len(value.strip()) > limit:
            raise DomainError(
                _("The text is too long: at most %(limit)d characters.") % {"limit": limit}, code="too_long"
            )


def ascii_int(value: str | None) -> int | None:
    """A positive id from a query string, or None: ASCII digits only, small enough for the database."""
    if not value or not value.isascii() or not value.isdigit() or len(value) > MAX_ID_DIGITS:
        return None
    return int(value)


def coordinate(value: str | None, *, limit: int) -> Decimal | None:
    """A latitude (limit 90) or longitude (limit 180) in degrees, rounded to the model's six decimals."""
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise DomainError(_("lat and long must be numbers."), code="invalid_coordinate") from None
    if not number.is_finite() or abs(number) > limit:
        raise DomainError(_("lat must be within ±90 and long within ±180 degrees."), code="invalid_coordinate")
    return number.quantize(Decimal("0.000001"))


def ensure_year_in_range(day: date) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise DomainError(
            _("The date must be between the years %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
            code="date_out_of_range",
        )


def month_param(raw: str | None) -> date:
    """The first day of the month a page is asked for as YYYY-MM (this month when none is given); an unreadable month
    is refused, not silently replaced by another one."""
    if not raw:
        return timezone.localdate().replace(day=1)
    try:
        month = datetime.strptime(raw, "%Y-%m").date()
    except ValueError:
        message = _("The month must be written as YYYY-MM, for example 2026-11.")
        raise DomainError(message, code="invalid_month") from None
    ensure_year_in_range(month)
    return month


def validate_year_in_range(day: date) -> None:
    """The same check as a form or serializer field validator."""
    try:
        ensure_year_in_range(day)
    except DomainError as error:
        raise ValidationError(error.message, code=error.code) from None


def ensure_within_a_year(day: date) -> None:
    """A future date a department chooses (an extension, a ledger deadline): at most a year from today."""
    if (day - timezone.localdate()).days > FUTURE_DAYS:
        raise DomainError(_("The date must be within a year from today."), code="date_out_of_range")
