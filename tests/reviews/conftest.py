from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from hotline import sms
from tickets.services.sms import sms_deliver_due


@pytest.fixture(autouse=True)
def sms_outbox(settings) -> Iterator[list[tuple[str, str]]]:
    settings.SMS_BACKEND = "hotline.sms.LocmemBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def survey_token(outbox: list[tuple[str, str]], phone: str) -> str:
    sms_deliver_due()  # what beat's delivery does within a minute: the link leaves through the SMS outbox
    links = [re.search(r"/s/([A-Za-z0-9_-]+)", text) for to, text in outbox if to == phone]
    found = [m.group(1) for m in links if m]
    assert found, outbox
    return found[-1]
