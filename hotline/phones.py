"""One writing of a phone number: ``+86 138-1234-5678``, ``138 1234 5678``, full-width digits and ``13812345678``
are one number, stored as ``13812345678``; a landline keeps its area code (``010-1234 5678`` → ``01012345678``);
a number abroad is stored in E.164 (``+16502530000``). Caller history, repeat detection, search, rate limits and
fraud flags all compare this form.
"""

from __future__ import annotations

import phonenumbers
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from hotline.errors import DomainError

REGION = "CN"


def _parsed(raw: str) -> phonenumbers.PhoneNumber | None:
    text = (raw or "").strip()
    if not text:
        return None
    try:
        number = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def _written(number: phonenumbers.PhoneNumber) -> str:
    if number.country_code != 86:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    national = str(number.national_number)
    mobile = phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
    return national if mobile else f"0{national}"


def phone_normalise(raw: str, *, field: StrOrPromise = "") -> str:
    """The stored form of ``raw`` ('' for blank); an impossible number is refused naming the field."""
    if not (raw or "").strip():
        return ""
    number = _parsed(raw)
    if number is None:
        label = field or _("phone")
        raise DomainError(
            _("%(field)s: “%(value)s” is not a valid phone number (a mobile number, or a landline with its area code).")
            % {"field": label, "value": raw.strip()[:30]},
            code="invalid_phone",
        )
    return _written(number)


def phone_key(raw: str) -> str | None:
    """The stored form, or None when ``raw`` is no phone number (for search and rate limits: never raises)."""
    number = _parsed(raw)
    return _written(number) if number is not None else None
