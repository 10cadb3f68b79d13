"""The ticket page: masked caller with an audited "show number", Chinese timeline, only the actions possible now."""

from __future__ import annotations

from django.test import Client

from org.models import AuditEntry, User
from tests.factories import Actors, department, ticket_in
from tickets import workflow


def page(user: User, number: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(f"/tickets/{number}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_caller_is_masked_until_show_number_which_is_audited(actors: Actors) -> None:
    ticket = ticket_in(workflow.DISPATCHED, actors)
    body = page(actors.handler, ticket.number)
    assert "138****5678" in body and "13812345678" not in body and "显示号码" in body
    client = Client()
    client.force_login(actors.handler)
    shown = client.post(f"/tickets/{ticket.number}/reveal/")
    assert "13812345678" in shown.content.decode()
    assert AuditEntry.objects.filter(action="caller_phone_view", actor=actors.handler).count() == 1


def test_a_supervisor_cannot_reveal_the_number(actors: Actors) -> None:
    ticket = ticket_in(workflow.DISPATCHED, actors)
    assert "显示号码" not in page(actors.supervisor, ticket.number)
    client = Client()
    client.force_login(actors.supervisor)
    assert client.post(f"/tickets/{ticket.number}/reveal/").status_code == 404
    assert not AuditEntry.objects.filter(action="caller_phone_view").exists()


def test_another_department_gets_404_for_the_page_and_every_action(actors: Actors) -> None:
    from tickets.forms import ACTIONS

    ticket = ticket_in(workflow.DISPATCHED, actors)
    other = User.objects.create_user("zjj-h", "a-long-password", role="handler", department=department("zjj"))
    client = Client()
    client.force_login(other)
    assert client.get(f"/tickets/{ticket.number}/").status_code == 404
    for verb in ACTIONS:
        assert client.post(f"/tickets/{ticket.number}/do/{verb}/", {}).status_code == 404, verb


def test_the_timeline_speaks_chinese_and_only_possible_actions_are_offered(actors: Actors) -> None:
    ticket = ticket_in(workflow.IN_PROGRESS, actors)
    body = page(actors.handler, ticket.number)
    assert "受理 完成" in body and "受理量" not in body and "响应 完成" in body and "response_met" not in body
    offered = {
        verb
        for verb in ("reply", "extend", "contact", "return", "sign", "approve_reply", "decide_extension")
        if f'data-action="{verb}"' in body
    }
    assert offered == {"reply", "extend", "contact", "return"}
    reviewer_view = page(actors.reviewer, ticket.number)
    assert 'data-action="decide_extension"' not in reviewer_view  # nothing pending to decide


def test_a_refused_action_keeps_what_was_typed_and_explains_in_chinese(actors: Actors) -> None:
    ticket = ticket_in(workflow.IN_PROGRESS, actors)
    client = Client()
    client.force_login(actors.handler)
    response = client.post(
        f"/tickets/{ticket.number}/do/extend/", {"extend-reason": "需要协调", "extend-new_due_date": "2026-01-01"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "需要协调" in body and ("新的日期必须晚于当前时限" in body or "申请延期前，请先告知市民" in body)
    assert ticket.extensions.count() == 0
