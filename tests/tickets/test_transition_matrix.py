"""Every action × role × state: the allowed ones succeed with one event; the others are refused and change nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from hotline.errors import DomainError, Forbidden, NotFound, TransitionNotAllowed
from tests.factories import Actors, department, receive, ticket_in
from tickets import permissions, services, workflow
from tickets.models import Deadline, Dispatch, Ticket

STATES = [
    workflow.RECEIVED,
    workflow.ANSWERED,
    workflow.DISPATCHED,
    workflow.RETURNED,
    workflow.IN_PROGRESS,
    workflow.REPLIED,
    workflow.AWAITING_SURVEY,
    workflow.CLOSED,
    workflow.MERGED,
]
ROLES = ["operator", "reviewer", "handler", "head", "supervisor", "admin"]


def call(verb: str, ticket: Ticket, actor, actors: Actors) -> object:
    tid = ticket.pk
    later = timezone.localdate() + timedelta(days=12)  # after the reply deadline, within 10 working days
    calls: dict[str, Callable[[], object]] = {
        "answer": lambda: services.ticket_answer(ticket_id=tid, actor=actor, answer="已解答"),
        "dispatch": lambda: services.ticket_dispatch(ticket_id=tid, actor=actor, department_id=department("cgj").pk),
        "merge": lambda: services.ticket_merge(ticket_id=tid, actor=actor, main_number=receive(actors).number),
        "sign": lambda: services.ticket_sign(ticket_id=tid, actor=actor),
        "contact": lambda: services.ticket_contact(ticket_id=tid, actor=actor, channel="phone", note="已联系"),
        "return": lambda: services.ticket_return(ticket_id=tid, actor=actor, reason="不属于本单位职责"),
        "sub_dispatch": lambda: services.ticket_sub_dispatch(
            ticket_id=tid, actor=actor, department_id=department("cgj-zfzd").pk
        ),
        "extend": lambda: services.ticket_extend(
            ticket_id=tid, actor=actor, reason="需协调", new_due_date=later, citizen_informed=True
        ),
        "reply": lambda: services.ticket_reply(ticket_id=tid, actor=actor, outcome="solved", text="已处理"),
        "arbitrate_return": lambda: services.ticket_arbitrate_return(
            ticket_id=tid, actor=actor, accept=True, department_id=department("zjj").pk
        ),
        "decide_extension": lambda: services.ticket_decide_extension(ticket_id=tid, actor=actor, approve=True),
        "approve_reply": lambda: services.ticket_approve_reply(ticket_id=tid, actor=actor),
        "send_back": lambda: services.ticket_send_back(ticket_id=tid, actor=actor, reason="答复不完整"),
        "close": lambda: services.ticket_close(ticket_id=tid, actor=actor),
        "supervise": lambda: services.ticket_supervise(ticket_id=tid, actor=actor, reason="请加快办理"),
        "remind": lambda: services.ticket_remind(ticket_id=tid, actor=actor, reason="请尽快签收"),
        "complete": lambda: services.ticket_complete(
            ticket_id=tid, actor=actor, kind="help", urgency="urgent", category_id=None, area_id=None, address="滨江路"
        ),
    }
    return calls[verb]()


def snapshot(ticket: Ticket) -> tuple:
    t = Ticket.objects.get(pk=ticket.pk)
    return (
        t.status,
        t.lead_department_id,
        t.events.count(),
        Dispatch.objects.filter(ticket=t).count(),
        list(Deadline.objects.filter(ticket=t).values_list("kind", "state", "due_at").order_by("pk")),
        t.contacts.count(),
        t.extensions.count(),
        t.replies.count(),
        t.notices.count(),
    )


# Every life-cycle action; system-only verbs have no role, and the survey loop has its own tests in tests/reviews.
# co_reply (only a co-handling unit), unit_reply (only a sub-dispatched unit), take and release (only an untaken or
# one's own ticket) need more than a role and a state: each has its own tests.
REVIEW_VERBS = {"survey", "rectification_inform", "co_reply", "unit_reply", "take", "release"}
VERBS = [v for v in workflow.VERBS if v != "receive" and workflow.ROLES[v] and v not in REVIEW_VERBS]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("verb", VERBS)
def test_every_action_in_every_state_for_every_role(actors: Actors, verb: str, state: str) -> None:
    for role in ROLES:
        actor = getattr(actors, role)
        ticket = ticket_in(state, actors, pending_extension=verb == "decide_extension")
        before = snapshot(ticket)
        events_before = ticket.events.filter(verb=verb).count()
        expected = workflow.role_may(role, verb) and state in workflow.from_statuses(verb)
        if expected:
            call(verb, ticket, actor, actors)
            assert ticket.events.filter(verb=verb).count() == events_before + 1, (verb, state, role)
        else:
            with pytest.raises((Forbidden, NotFound, TransitionNotAllowed)) as refused:
                call(verb, ticket, actor, actors)
            assert snapshot(ticket) == before, (verb, state, role)
            if not permissions.visible_tickets(actor).filter(pk=ticket.pk).exists():
                assert isinstance(refused.value, NotFound), (verb, state, role)  # out of scope looks missing
            elif not workflow.role_may(role, verb):
                assert isinstance(refused.value, Forbidden), (verb, state, role)
            else:
                assert isinstance(refused.value, TransitionNotAllowed), (verb, state, role)


def test_a_handler_of_another_department_cannot_see_or_act(actors: Actors) -> None:
    from org.models import User

    other = User.objects.create_user("zjj-handler", "a-long-password", role="handler", department=department("zjj"))
    ticket = ticket_in(workflow.DISPATCHED, actors)
    before = snapshot(ticket)
    for verb in ("sign", "contact", "return", "reply", "extend"):
        with pytest.raises(NotFound):
            call(verb, ticket, other, actors)
    assert snapshot(ticket) == before


def test_a_co_handling_department_sees_the_ticket_but_cannot_act_as_lead(actors: Actors) -> None:
    from org.models import User

    co_handler = User.objects.create_user("zjj-co", "a-long-password", role="handler", department=department("zjj"))
    ticket = receive(actors)
    services.ticket_dispatch(
        ticket_id=ticket.pk,
        actor=actors.operator,
        department_id=department("cgj").pk,
        co_department_ids=[department("zjj").pk],
    )
    with pytest.raises(Forbidden):
        services.ticket_sign(ticket_id=ticket.pk, actor=co_handler)
    assert Ticket.objects.get(pk=ticket.pk).status == workflow.DISPATCHED


def test_bad_input_is_refused_with_a_chinese_message_and_changes_nothing(actors: Actors) -> None:
    ticket = ticket_in(workflow.DISPATCHED, actors)
    before = snapshot(ticket)
    with pytest.raises(DomainError, match="退单原因"):
        services.ticket_return(ticket_id=ticket.pk, actor=actors.handler, reason=" ")
    assert snapshot(ticket) == before
