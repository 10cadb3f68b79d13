"""?format=xlsx exports exactly the filtered list, phones masked as in lists, and the export is audited."""

from __future__ import annotations

import io

from django.test import Client
from openpyxl import load_workbook

from org.models import AuditEntry
from tests.factories import Actors, receive


def test_the_export_has_exactly_the_filtered_rows_with_masked_phones(actors: Actors) -> None:
    wanted = [receive(actors, content=f"占道经营第{i}处").number for i in range(3)]
    receive(actors, content="路灯不亮")
    client = Client()
    client.force_login(actors.reviewer)
    response = client.get("/tickets/", {"q": "占道", "format": "xlsx", "sort": "number"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active  # type: ignore[attr-defined]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == sorted(wanted)
    assert all(r[7] == "王* 138****5678" for r in rows)
    audit = AuditEntry.objects.get(action="export", target="tickets")
    assert audit.actor == actors.reviewer and "q=" in audit.detail["filters"]
