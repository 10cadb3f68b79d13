"""The IVR webhook's authentication: HMAC-SHA256 over "<timestamp>.<body>" with a shared secret; no replays."""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from hotline.errors import DomainError
from reviews.models import IvrNonce


class SignatureRefused(DomainError):
    status = 401
    code = "signature_refused"


def sign(body: bytes, timestamp: str, secret: str) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def ivr_verify(*, body: bytes, timestamp: str, signature: str) -> None:
    """Raise SignatureRefused unless the signature is right, fresh, and not seen before (recorded in this tx)."""
    secret = settings.IVR_SECRET
    if not secret or not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) < 16) or not signature:
        raise SignatureRefused(_("The request is not signed."))
    if abs(time.time() - int(timestamp)) > settings.IVR_MAX_SKEW_SECONDS:
        raise SignatureRefused(_("The request's timestamp is too old or in the future."))
    if not hmac.compare_digest(sign(body, timestamp, secret), signature.lower()):
        raise SignatureRefused(_("The signature is wrong."))
    try:
        with transaction.atomic():
            IvrNonce.objects.create(signature=signature.lower())
    except IntegrityError:
        raise SignatureRefused(_("This request was already received.")) from None
