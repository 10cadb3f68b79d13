"""SMS backends, chosen by settings.SMS_BACKEND like Django's e-mail backends. Production plugs in its gateway."""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("hotline.sms")


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class ConsoleBackend:
    """Writes each message to the log instead of sending it (development and demo)."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


def sms_backend() -> SmsBackend:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    return backend


outbox: list[tuple[str, str]] = []


class LocmemBackend:
    """Keeps messages in ``hotline.sms.outbox`` (like Django's locmem e-mail backend), for tests and demos."""

    def send(self, phone: str, text: str) -> None:
        outbox.append((phone, text))
