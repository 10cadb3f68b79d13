"""Times as old systems and data files write them: ``YYYY/M/D H:MM:SS``, ``YYYY-MM-DD HH:MM:SS``, ISO 8601."""

from __future__ import annotations

import re
from datetime import datetime, tzinfo

from django.utils import timezone

COMMON = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
PATTERNS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S.%f")


def parse_time(text: str) -> datetime:
    """A naive local time; ValueError when it is none of the known forms."""
    common = COMMON.match(text.strip())
    if common:  # the usual forms, without strptime (a history import reads millions)
        year, month, day, hour, minute, second = (int(n) if n else 0 for n in common.groups())
        return datetime(year, month, day, hour, minute, second)
    value = text.strip().replace("/", "-").replace("T", " ")
    if value.endswith("Z") or "+" in value[10:]:
        return datetime.fromisoformat(value)
    for pattern in PATTERNS:
        try:
            return datetime.strptime(value, pattern)
        except ValueError:
            continue
    raise ValueError(text)


def parse_local(text: str, zone: tzinfo | None = None) -> datetime:
    """An aware time, read in the centre's time zone (or ``zone``, looked up once by a caller reading many) when the
    text has none."""
    moment = parse_time(text)
    if timezone.is_aware(moment):
        return moment
    return moment.replace(tzinfo=zone) if zone is not None else timezone.make_aware(moment)
