"""A head passes the work to a child unit, which sees it, contacts the citizen and submits findings to the lead."""

from __future__ import annotations

import pytest

from hotline.errors import DomainError
from org.models import User
from tests.closed_loop.conftest import owned, work
from tests.factories import Actors, department, ticket_in
from tickets import permissions, services, workflow
from tickets.forms import SubDispatchForm
from tickets.models import Deadline, Ticket


@pytest.fixture
def sub_dispatched(actors: Actors) -> Ticket:
    ticket = ticket_in(workflow.DISPATCHED, actors)
    services.ticket_sign(ticket_id=ticket.pk, actor=actors.head)
    services.ticket_sub_dispatch(
        ticket_id=ticket.pk, actor=actors.head, department_id=department("cgj-zfzd").pk, note="请支队现场核查"
    )
    return Ticket.objects.get(pk=ticket.pk)


def test_the_child_unit_finds_the_sub_dispatched_ticket_in_its_queue(sub_dispatched: Ticket, unit: User) -> None:
    assert sub_dispatched.number in work(unit)["sub_dispatch"]
    assert set(permissions.actions_available(unit, sub_dispatched)) == {"contact", "unit_reply"}


def test_the_child_units_contact_meets_the_lead_units_response_clock(
    sub_dispatched: Ticket, unit: User, actors: Actors
) -> None:
    services.ticket_contact(ticket_id=sub_dispatched.pk, actor=unit, channel="visit", note="现场与市民见面")
    response = Deadline.objects.get(ticket=sub_dispatched, kind="response")
    assert response.state == "met" and response.department == department("cgj")


def test_the_lead_sees_the_findings_and_replies_while_staying_accountable(
    sub_dispatched: Ticket, unit: User, actors: Actors
) -> None:
    services.ticket_contact(ticket_id=sub_dispatched.pk, actor=unit, channel="phone", note="已电话联系")
    services.ticket_unit_reply(ticket_id=sub_dispatched.pk, actor=unit, text="现场核查：摊点已清理")
    assert sub_dispatched.number not in owned(unit)
    assert sub_dispatched.number in work(actors.handler)["reply"]
    assert sub_dispatched.events.filter(verb="unit_reply", note="现场核查：摊点已清理").exists()
    reply = Deadline.objects.get(ticket=sub_dispatched, kind="reply", state="open")
    assert reply.department == department("cgj")
    services.ticket_reply(ticket_id=sub_dispatched.pk, actor=actors.handler, outcome="solved", text="已清理占道摊点")
    assert sub_dispatched.number in work(actors.reviewer)["review"]


def test_sub_dispatch_offers_only_the_lead_departments_descendants(sub_dispatched: Ticket) -> None:
    form = SubDispatchForm(prefix="sub_dispatch")
    form.narrow(sub_dispatched)
    offered = set(form.fields["department"].queryset.values_list("code", flat=True))  # type: ignore[attr-defined]
    assert offered == {"cgj-zfzd"}


def test_a_second_sub_dispatch_waits_for_the_first_units_findings(sub_dispatched: Ticket, actors: Actors) -> None:
    with pytest.raises(DomainError, match="下级单位"):
        services.ticket_sub_dispatch(
            ticket_id=sub_dispatched.pk, actor=actors.head, department_id=department("cgj-zfzd").pk
        )
