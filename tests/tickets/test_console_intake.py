"""The console form on the server (issue 13, item 1): one form key is one ticket, typed-ahead pickers are resolved
as the operator would have seen them, a department chosen by hand is kept, a failed save shows everything again,
and the draft kept on the server belongs to its operator."""

from __future__ import annotations

import pytest
from django.test import Client

from hotline.errors import DomainError
from org.models import Department
from tests.factories import Actors, area, department
from tickets.models import CallDraft, Category, Ticket
from tickets.services.drafts import call_draft_save


def call(**fields: str) -> dict[str, str]:
    data = {"caller_phone": "13912345100", "kind": "complaint", "urgency": "normal", "channel": "phone"}
    data.update(content="路口有流动摊贩占道经营", form_key="form-1", action="save")
    data.update(fields)
    return data


def operator_client(actors: Actors) -> Client:
    client = Client()
    client.force_login(actors.operator)
    return client


def test_the_same_form_sent_twice_is_one_ticket(actors: Actors) -> None:
    client = operator_client(actors)
    first = client.post("/console/", call(), follow=True)
    second = client.post("/console/", call(), follow=True)
    assert first.status_code == second.status_code == 200
    ticket = Ticket.objects.get()
    assert ticket.submission_key == "form-1"
    assert f"此来电已保存为工单 {ticket.number}" in second.content.decode()


def test_text_typed_ahead_of_the_pickers_is_resolved_to_the_first_result(actors: Actors) -> None:
    client = operator_client(actors)
    client.post("/console/", call(category_q="zdjy", area_q="rml", action="dispatch"))
    ticket = Ticket.objects.get()
    assert ticket.category == Category.objects.get(code="zdjy") and ticket.area == area("jn-rm")
    assert ticket.lead_department == department("jiangnan-cgj")  # the routing table's proposal


def test_a_department_chosen_by_hand_is_kept(actors: Actors) -> None:
    client = operator_client(actors)
    hand = call(category_q="zdjy", area_q="jnq", action="dispatch", department=str(department("zjj").pk))
    client.post("/console/", hand | {"department_by_hand": "on"})
    assert Ticket.objects.get().lead_department == department("zjj")


def test_a_rule_whose_lead_department_is_switched_off_proposes_nothing(actors: Actors) -> None:
    Department.objects.filter(code="jiangnan-cgj").update(is_active=False)
    client = operator_client(actors)
    zdjy = Category.objects.get(code="zdjy")
    answer = client.get("/console/route/", {"category": zdjy.pk, "area": area("jn-rm").pk})
    assert answer.json() == {"lead": None, "lead_name": "", "co": []}
    page = client.post("/console/", call(category_q="zdjy", area_q="rml", action="dispatch"))
    assert page.status_code == 400 and not Ticket.objects.exists()


def test_a_failed_save_shows_every_field_and_the_error_beside_its_field(actors: Actors) -> None:
    client = operator_client(actors)
    response = client.post("/console/", call(category_q="zdjy", address="人民路 8 号", action="merge"))
    page = response.content.decode()
    assert response.status_code == 400 and not Ticket.objects.exists()
    assert 'data-testid="error-merge_into"' in page and "请选择要并入的工单" in page
    assert 'value="占道经营"' in page and 'value="人民路 8 号"' in page and "路口有流动摊贩占道经营" in page


def test_text_that_matches_nothing_is_refused_beside_the_picker(actors: Actors) -> None:
    response = operator_client(actors).post("/console/", call(category_q="qqqqxx"))
    assert response.status_code == 400 and 'data-testid="error-category"' in response.content.decode()
    assert not Ticket.objects.exists()


def test_receiving_the_call_deletes_its_draft(actors: Actors) -> None:
    client = operator_client(actors)
    assert client.post("/console/draft/", call()).json() == {"saved": True}
    assert CallDraft.objects.get().fields["content"] == "路口有流动摊贩占道经营"
    client.post("/console/", call())
    assert not CallDraft.objects.exists() and Ticket.objects.count() == 1


def test_no_draft_is_kept_before_the_phone_is_known(actors: Actors) -> None:
    assert call_draft_save(actor=actors.operator, key="k-1", fields={"caller_phone": "139"}) is None
    assert not CallDraft.objects.exists()


def test_another_operators_draft_cannot_be_overwritten_or_opened(actors: Actors) -> None:
    call_draft_save(actor=actors.operator, key="k-2", fields={"caller_phone": "13912345101", "content": "原文"})
    with pytest.raises(DomainError, match="有效标识"):
        call_draft_save(actor=actors.reviewer, key="k-2", fields={"caller_phone": "13912345101", "content": "改"})
    assert CallDraft.objects.get().fields["content"] == "原文"
    client = Client()
    client.force_login(actors.reviewer)
    assert "原文" not in client.get("/console/?draft=k-2").content.decode()


def test_a_department_may_not_keep_drafts(actors: Actors) -> None:
    client = Client()
    client.force_login(actors.handler)
    assert client.post("/console/draft/", call()).status_code == 403
    assert not CallDraft.objects.exists()


def test_discarding_the_call_in_progress_drops_the_servers_copy_of_it_alone(actors: Actors) -> None:
    client = operator_client(actors)
    client.post("/console/draft/", call(form_key="form-a"))
    client.post("/console/draft/", call(form_key="form-b", caller_phone="13912345109"))
    call_draft_save(actor=actors.reviewer, key="form-c", fields={"caller_phone": "13912345101", "content": "别人的"})
    assert "13912345100" in client.get("/console/").content.decode()  # offered among the unfinished calls
    assert client.post("/console/draft/", {"form_key": "form-a", "discard": "1"}).json() == {"discarded": True}
    assert client.post("/console/draft/", {"form_key": "form-c", "discard": "1"}).json() == {"discarded": False}
    assert sorted(CallDraft.objects.values_list("key", flat=True)) == ["form-b", "form-c"]
    assert "13912345100" not in client.get("/console/").content.decode()
