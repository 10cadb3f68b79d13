"""Tickets driven into each state through the real services, by the demo actors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from org.models import Area, Department, User
from tickets import services, workflow
from tickets.models import Category, Ticket


@dataclass
class Actors:
    operator: User
    reviewer: User
    handler: User
    head: User
    supervisor: User
    admin: User

    @classmethod
    def demo(cls) -> Actors:
        users = {u.username: u for u in User.objects.filter(username__in=cls.__dataclass_fields__)}
        return cls(**users)


def area(code: str) -> Area:
    return Area.objects.get(code=code)


def department(code: str) -> Department:
    return Department.objects.get(code=code)


def receive(actors: Actors, **fields: object) -> Ticket:
    data: dict = {
        "channel": "phone",
        "kind": "complaint",
        "content": "小区门口有人占道经营，影响通行",
        "category_id": Category.objects.get(code="zdjy").pk,
        "address": "江南区滨江路 88 号",
        "caller_name": "王先生",
        "caller_phone": "13812345678",
    }
    data.update(fields)
    return services.ticket_receive(actor=actors.operator, **data)


def ticket_in(state: str, actors: Actors, *, pending_extension: bool = False) -> Ticket:
    """A ticket of the demo city, dispatched to 市城市管理局 where that applies, brought to ``state``."""
    ticket = receive(actors)
    tid = ticket.pk
    if state == workflow.RECEIVED:
        return ticket
    if state == workflow.ANSWERED:
        services.ticket_answer(ticket_id=tid, actor=actors.operator, answer="已当场解答")
        return Ticket.objects.get(pk=tid)
    if state == workflow.MERGED:
        main = receive(actors)
        services.ticket_merge(ticket_id=tid, actor=actors.operator, main_number=main.number)
        return Ticket.objects.get(pk=tid)
    services.ticket_dispatch(ticket_id=tid, actor=actors.operator, department_id=department("cgj").pk)
    if state == workflow.DISPATCHED:
        return Ticket.objects.get(pk=tid)
    if state == workflow.RETURNED:
        services.ticket_return(ticket_id=tid, actor=actors.handler, reason="不属于本单位职责")
        return Ticket.objects.get(pk=tid)
    services.ticket_sign(ticket_id=tid, actor=actors.handler)
    services.ticket_contact(ticket_id=tid, actor=actors.handler, channel="phone", note="已电话联系市民")
    if pending_extension:
        new_date = timezone.localdate() + timedelta(days=12)  # after the reply deadline, within 10 working days
        services.ticket_extend(
            ticket_id=tid, actor=actors.handler, reason="需要协调多个部门", new_due_date=new_date, citizen_informed=True
        )
    if state == workflow.IN_PROGRESS:
        return Ticket.objects.get(pk=tid)
    services.ticket_reply(ticket_id=tid, actor=actors.handler, outcome="solved", text="已清理占道摊点")
    if state == workflow.REPLIED:
        return Ticket.objects.get(pk=tid)
    services.ticket_approve_reply(ticket_id=tid, actor=actors.reviewer)
    if state == workflow.AWAITING_SURVEY:
        return Ticket.objects.get(pk=tid)
    services.ticket_close(ticket_id=tid, actor=actors.reviewer, note="回访满意")
    assert state == workflow.CLOSED
    return Ticket.objects.get(pk=tid)
