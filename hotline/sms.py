"""SMS backends, chosen by settings.SMS_BACKEND like Django's e-mail backends. Production plugs in its gateway.

A backend's ``send`` gets the message's idempotency key (a gateway that takes one must pass it on, so that a message
re-sent after a crash is not delivered twice) and raises ``SmsError`` (or any exception) when the gateway refuses.
Messages are never sent from a request: tickets/services/sms.py delivers the SmsMessage rows one per transaction.
"""

from __future__ import annotations

import logging
import re
from typing import Protocol

import requests
from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("hotline.sms")
SURVEY_TOKEN = re.compile(r"/s/[A-Za-z0-9_-]+")


class SmsError(Exception):
    """The gateway did not take the message."""


class SmsBackend(Protocol):
    def send(self, phone: str, text: str, *, key: str) -> None: ...


def masked(phone: str, text: str) -> tuple[str, str]:
    """What may be written to a log: 138****5678, and survey links without their one-time token."""
    shown = f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else "*" * len(phone)
    return shown, SURVEY_TOKEN.sub("/s/***", text)


class ConsoleBackend:
    """Writes each message to the log, masked, instead of sending it (development and demo)."""

    def send(self, phone: str, text: str, *, key: str) -> None:
        shown, safe = masked(phone, text)
        logger.info("SMS %s to %s: %s", key, shown, safe)


class HttpGatewayBackend:
    """Posts ``{"phone", "text", "key"}`` as JSON to settings.SMS_GATEWAY_URL with an ``Idempotency-Key`` header.

    Any answer but 2xx, a timeout or a refused connection raises ``SmsError``: the row is retried with backoff.
    A gateway that took the message but whose answer was lost gets the same key again and must not send it twice.
    """

    def send(self, phone: str, text: str, *, key: str) -> None:
        if not settings.SMS_GATEWAY_URL:
            raise SmsError("SMS_GATEWAY_URL is not set")
        try:
            response = requests.post(
                settings.SMS_GATEWAY_URL,
                json={"phone": phone, "text": text, "key": key},
                headers={"Idempotency-Key": key},
                timeout=settings.SMS_GATEWAY_TIMEOUT_SECONDS,
            )
        except requests.RequestException as error:
            raise SmsError(f"gateway unreachable: {type(error).__name__}") from error
        if not 200 <= response.status_code < 300:
            raise SmsError(f"gateway answered {response.status_code}")


def sms_backend() -> SmsBackend:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    return backend


outbox: list[tuple[str, str]] = []
failing: set[str] = set()  # numbers the in-memory gateway refuses (a gateway that is down for one recipient)


class LocmemBackend:
    """Keeps messages in ``hotline.sms.outbox`` (like Django's locmem e-mail backend), for tests and demos."""

    def send(self, phone: str, text: str, *, key: str) -> None:
        if phone in failing:
            raise SmsError(f"gateway refused {key}")
        outbox.append((phone, text))
