"""No list stops at a fixed number: the workbench, the centre queues and the inbox page on with rel="next"."""

from __future__ import annotations

import re
from html import unescape

from django.test import Client

from org.models import User
from tests.factories import Actors, department, receive
from tickets import services
from tickets.models import Notification, Outbox

NEXT = re.compile(r'rel="next" href="\?([^"]+)"')


def _follow(user: User, path: str, row: re.Pattern[str]) -> list[str]:
    client = Client()
    client.force_login(user)
    seen, url = [], f"{path}"
    while url:
        body = client.get(url).content.decode()
        seen += row.findall(body)
        link = NEXT.search(body)
        url = f"{path.split('?')[0]}?{unescape(link.group(1))}" if link else ""
    return seen


def test_the_workbench_sign_tab_pages_past_fifty(actors: Actors) -> None:
    numbers = []
    for _ in range(53):
        ticket = receive(actors)
        services.ticket_dispatch(ticket_id=ticket.pk, actor=actors.operator, department_id=department("cgj").pk)
        numbers.append(ticket.number)
    seen = _follow(actors.handler, "/workbench/?tab=sign", re.compile(r'href="/tickets/(\d+)/"'))
    assert sorted(seen) == sorted(numbers) and len(seen) == len(set(seen))


def test_the_inbox_pages_past_a_hundred_and_marks_all_read(actors: Actors) -> None:
    ticket = receive(actors)
    for i in range(115):
        outbox = Outbox.objects.create(kind="new_ticket", key=f"test:{i}", ticket=ticket, text=f"通知{i}")
        Notification.objects.create(
            user=actors.handler, outbox=outbox, kind="new_ticket", ticket=ticket, text=f"通知{i}"
        )
    seen = _follow(actors.handler, "/notifications/", re.compile(r'data-notification="(\d+)"'))
    assert len(seen) == len(set(seen)) == 115
    client = Client()
    client.force_login(actors.handler)
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(user=actors.handler, read_at=None).exists()
