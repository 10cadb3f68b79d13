"""Tickets received without a dispatch or answer are the centre's to-do from the moment they arrive."""

from __future__ import annotations

from datetime import timedelta

import pytest

from channels.services import public_submit
from hotline.errors import DomainError
from tests.closed_loop.conftest import owned, work
from tests.factories import Actors, area, department, receive
from tickets import services
from tickets.models import Deadline, Outbox, Ticket
from tickets.services.ownership import ticket_owner


def _web(content: str = "小区路灯坏了一个月没人修") -> Ticket:
    ticket, _code = public_submit(
        channel="web",
        kind="help",
        category_id=None,
        address="江北区望江街道",
        content=content,
        name="周女士",
        phone="13700001234",
        submission_key="",
    )
    return ticket


def test_a_web_submission_is_in_every_operators_intake_queue_with_a_clock_and_a_notification(actors: Actors) -> None:
    ticket = _web()
    assert ticket.number in work(actors.operator)["intake"]
    assert ticket.number in work(actors.reviewer)["intake"]
    clock = Deadline.objects.get(ticket=ticket, kind="intake")
    assert clock.state == "open" and clock.department_id is None
    assert Outbox.objects.filter(ticket=ticket, kind="new_ticket", department__kind="centre").exists()


def test_a_call_saved_for_later_is_only_the_saving_operators_to_do(actors: Actors) -> None:
    ticket = receive(actors)
    assert ticket.number in work(actors.operator)["saved"]
    assert ticket.number not in owned(actors.reviewer)


def test_an_operator_takes_a_submission_and_dispatching_it_meets_the_intake_clock(actors: Actors) -> None:
    ticket = _web()
    services.ticket_take(ticket_id=ticket.pk, actor=actors.operator)
    assert ticket.number in work(actors.operator)["saved"]
    assert ticket.number not in owned(actors.reviewer)
    services.ticket_dispatch(ticket_id=ticket.pk, actor=actors.operator, department_id=department("cgj").pk)
    assert Deadline.objects.get(ticket=ticket, kind="intake").state == "met"
    assert ticket.number in work(actors.handler)["sign"]
    assert ticket.number not in owned(actors.operator)


def test_a_taken_submission_cannot_be_taken_by_another_operator_but_can_be_put_back(actors: Actors) -> None:
    ticket = _web()
    services.ticket_take(ticket_id=ticket.pk, actor=actors.operator)
    with pytest.raises(DomainError, match="已被"):
        services.ticket_take(ticket_id=ticket.pk, actor=actors.reviewer)
    services.ticket_release(ticket_id=ticket.pk, actor=actors.operator)
    assert ticket.number in work(actors.reviewer)["intake"]


def test_answering_a_submission_meets_its_intake_clock_and_sends_it_to_the_survey(actors: Actors) -> None:
    ticket = _web()
    services.ticket_answer(ticket_id=ticket.pk, actor=actors.operator, answer="已告知报修电话")
    assert Deadline.objects.get(ticket=ticket, kind="intake").met_at is not None
    owner = ticket_owner(Ticket.objects.get(pk=ticket.pk))
    assert owner is not None and owner.queue == "survey"


def test_the_console_lists_submissions_oldest_first_with_their_channel(actors: Actors, client) -> None:
    first, second = _web("第一件：路灯不亮"), _web("第二件：井盖缺失")
    client.force_login(actors.operator)
    page = client.get("/console/").content.decode()
    intake = page[page.index('data-testid="console-intake"') :]
    assert intake.index(first.number) < intake.index(second.number)
    assert "网站" in intake or "Web" in intake


def test_completing_a_submission_records_what_changed(actors: Actors) -> None:
    ticket = _web()
    services.ticket_complete(
        ticket_id=ticket.pk,
        actor=actors.operator,
        kind="complaint",
        urgency="urgent",
        category_id=None,
        area_id=area("jb-wj").pk,
        address="望江街道 12 号",
    )
    event = ticket.events.get(verb="complete")
    assert event.payload["changes"]["urgency"] == ["normal", "urgent"]
    stored = Ticket.objects.get(pk=ticket.pk)
    assert (stored.kind, stored.address, stored.status) == ("complaint", "望江街道 12 号", "received")


def test_a_mailbox_letter_and_an_open311_request_are_in_the_intake_queue(actors: Actors) -> None:
    from channels.models import ApiClient
    from channels.services import open311_submit

    letter, _code = public_submit(
        channel="mailbox",
        kind="suggestion",
        category_id=None,
        address="",
        content="建议在滨江公园增设公共厕所",
        name="钱先生",
        phone="13500002222",
        submission_key="",
        addressed_to_id=department("city").pk,
    )
    client = ApiClient(name="城市 App", channel="open311")
    client.issue_key()
    client.save()
    request = open311_submit(
        client=client, service_code="zdjy", description="人行道被摊点占满", address_string="滨江路 3 号"
    )
    intake = work(actors.operator)["intake"]
    assert letter.number in intake and request.number in intake


def test_an_overdue_intake_clock_shows_on_the_supervisors_dashboard(actors: Actors, time_machine, client) -> None:
    ticket = _web()
    due = Deadline.objects.get(ticket=ticket, kind="intake").due_at
    time_machine.move_to(due + timedelta(hours=2), tick=False)
    client.force_login(actors.supervisor)
    response = client.get("/supervision/")
    assert response.status_code == 200
    assert response.context["board"].by_group["intake"].red == 1
