"""Each statutory rate of a month built from known facts, as of an instant: numerators and denominators exactly.

November 2026 (Monday the 2nd is an ordinary working day): tickets of 市城市管理局 (cgj) go through the real services
with the clock moved, then the month is asked as of different instants.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from org.models import User
from reviews import services as review_services
from reviews.models import Rectification
from supervision.rates import Rate, rates, rates_by_department, subtree_sum
from tests.factories import Actors, department, receive
from tickets import services
from tickets.deadlines import BEIJING
from tickets.models import Deadline

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


def at(day: int, hour: int = 10, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=BEIJING)


def handler_of(code: str) -> User:
    dept = department(code)
    return User.objects.filter(department=dept, role="handler").first() or User.objects.create_user(
        f"h-{code}", "a-long-password", role="handler", department=dept
    )


def dispatched(actors: Actors, time_machine, day: int, code: str = "cgj", month: int = 11) -> int:
    time_machine.move_to(at(day, month=month), tick=False)
    ticket = receive(actors)
    services.ticket_dispatch(ticket_id=ticket.pk, actor=actors.operator, department_id=department(code).pk)
    return ticket.pk


def respond(actors: Actors, time_machine, ticket_id: int, when: datetime, code: str = "cgj") -> None:
    time_machine.move_to(when, tick=False)
    services.ticket_sign(ticket_id=ticket_id, actor=handler_of(code))
    services.ticket_contact(ticket_id=ticket_id, actor=handler_of(code), channel="phone", note="已电话联系市民")


def reply(actors: Actors, time_machine, ticket_id: int, when: datetime, code: str = "cgj") -> None:
    time_machine.move_to(when, tick=False)
    services.ticket_reply(ticket_id=ticket_id, actor=handler_of(code), outcome="solved", text="已处理")


def cgj(as_of: datetime, name: str) -> tuple[int, int]:
    rate = rates(department=department("cgj"), start=NOVEMBER[0], end=NOVEMBER[1], as_of=as_of)[name]
    return rate.numerator, rate.denominator


@pytest.fixture
def clocks(actors: Actors, time_machine) -> dict[str, int]:
    """Four dispatches to cgj on Monday 2 November 10:00 (response due end of the 3rd, reply due end of the 9th)."""
    on_time, late, redispatched, paused = (dispatched(actors, time_machine, 2) for _ in range(4))
    respond(actors, time_machine, on_time, at(2, 15))
    reply(actors, time_machine, on_time, at(6))
    respond(actors, time_machine, late, at(4))  # a day late
    reply(actors, time_machine, late, at(12))  # three days late
    # Returned on the 2nd; the centre re-dispatches to 住建局 on the 4th: cgj's clocks end, zjj's start (never met).
    time_machine.move_to(at(2, 11), tick=False)
    services.ticket_return(ticket_id=redispatched, actor=actors.handler, reason="不属于本单位职责")
    services.ticket_return(ticket_id=paused, actor=actors.handler, reason="不属于本单位职责")
    time_machine.move_to(at(4), tick=False)
    services.ticket_arbitrate_return(
        ticket_id=redispatched, actor=actors.reviewer, accept=True, department_id=department("zjj").pk
    )
    # The other return is rejected on the 4th: cgj's clocks resume two working days later (response due the 5th).
    services.ticket_arbitrate_return(ticket_id=paused, actor=actors.reviewer, accept=False, note="属于本单位职责")
    respond(actors, time_machine, paused, at(5, 9))
    reply(actors, time_machine, paused, at(11, 9))
    return {"on_time": on_time, "late": late, "redispatched": redispatched, "paused": paused}


def test_response_clocks_count_once_in_the_month_of_their_due_date(clocks: dict[str, int]) -> None:
    resumed = Deadline.objects.get(ticket_id=clocks["paused"], kind="response")
    assert resumed.due_at == datetime(2026, 11, 6, 0, 0, tzinfo=BEIJING)  # given back the two days it was paused
    # on time, late, resumed-then-met on time; the re-dispatched clock ended without its duty and is not cgj's.
    assert cgj(at(1, 0, 12), "on_time_response") == (2, 3)
    zjj = rates(department=department("zjj"), start=NOVEMBER[0], end=NOVEMBER[1], as_of=at(1, 0, 12))
    assert zjj["on_time_response"] == Rate(0, 1) and zjj["on_time_completion"] == Rate(0, 1)


def test_reply_clocks_count_met_at_or_before_due_time(clocks: dict[str, int]) -> None:
    assert cgj(at(1, 0, 12), "on_time_completion") == (2, 3)


def test_a_clock_counts_only_once_it_is_due_and_a_paused_one_not_at_all(clocks: dict[str, int]) -> None:
    # As of the 4th at noon: the response clocks due on the 3rd (on time and late) count; the paused one, whose due
    # time moved to the 6th when it resumed, and the ended one do not. No reply clock is due yet.
    assert cgj(at(4, 12), "on_time_response") == (1, 2)
    assert cgj(at(4, 12), "on_time_completion") == (0, 0)


def test_a_breach_met_later_stays_a_breach_and_asking_again_gives_the_same_answer(
    actors: Actors, clocks: dict[str, int], time_machine
) -> None:
    before = rates(department=department("cgj"), start=NOVEMBER[0], end=NOVEMBER[1], as_of=at(1, 0, 12))
    # December: 住建局 finally responds to the re-dispatched ticket; another ticket is dispatched to cgj and returned.
    respond(actors, time_machine, clocks["redispatched"], at(3, 10, 12), code="zjj")
    ticket_id = dispatched(actors, time_machine, 3, month=12)
    services.ticket_return(ticket_id=ticket_id, actor=actors.handler, reason="不属于本单位职责")
    after = rates(department=department("cgj"), start=NOVEMBER[0], end=NOVEMBER[1], as_of=at(1, 0, 12))
    assert after == before


@pytest.fixture
def surveys(actors: Actors, time_machine) -> dict[str, int]:
    """Five tickets of cgj whose reply is approved on 2 November (survey clock due end of the 4th), and their fate."""
    ids = {}
    for name in ("good", "unreachable", "closed", "bad", "untrue"):
        ticket_id = dispatched(actors, time_machine, 2)
        respond(actors, time_machine, ticket_id, at(2, 11))
        reply(actors, time_machine, ticket_id, at(2, 12))
        time_machine.move_to(at(2, 14), tick=False)
        services.ticket_approve_reply(ticket_id=ticket_id, actor=actors.reviewer)
        ids[name] = ticket_id
    time_machine.move_to(at(3), tick=False)
    op = actors.operator
    review_services.ticket_survey(ticket_id=ids["good"], actor=op, outcome="answered", rating=5, solved=True)
    services.ticket_close(ticket_id=ids["closed"], actor=actors.reviewer, note="市民已撤诉")  # no survey
    review_services.ticket_survey(ticket_id=ids["bad"], actor=op, outcome="answered", rating=1, solved=False)
    review_services.ticket_survey(ticket_id=ids["untrue"], actor=op, outcome="answered", rating=2, solved=False)
    for attempt in range(settings.SURVEY_MAX_ATTEMPTS):  # tries spaced as unreachable needs (2 hours by default)
        time_machine.move_to(at(3) + attempt * settings.SURVEY_ATTEMPT_SPACING, tick=False)
        review_services.ticket_survey(ticket_id=ids["unreachable"], actor=op, outcome="no_answer")
    bad = Rectification.objects.get(ticket_id=ids["bad"])
    time_machine.move_to(at(4), tick=False)
    review_services.rectification_verify(rectification_id=bad.pk, actor=actors.handler, note="已回访核实")
    time_machine.move_to(at(6), tick=False)
    review_services.rectification_report(
        rectification_id=bad.pk, actor=actors.handler, report_type="immediate", text="已立行立改"
    )
    appeal = review_services.appeal_apply(
        ticket_number=Rectification.objects.get(ticket_id=ids["untrue"]).ticket.number,
        actor=actors.handler,
        reasons="市民反映的问题已于当天解决，评价与事实不符",
    )
    review_services.appeal_opinion(appeal_id=appeal.pk, actor=actors.head, supports=True, note="同意申请复核")
    time_machine.move_to(at(9), tick=False)
    review_services.appeal_decide(appeal_id=appeal.pk, actor=actors.reviewer, upheld=True, note="经核实，差评不属实")
    return ids


def test_the_survey_rate_counts_tickets_and_a_reviewers_close_is_not_a_survey(surveys: dict[str, int]) -> None:
    # Due the 4th: good and unreachable and bad surveyed, closed without a survey not; the untrue one leaves.
    assert cgj(at(1, 0, 12), "survey_rate") == (3, 4)
    assert cgj(at(5), "survey_rate") == (4, 5)  # before the appeal was upheld, the untrue rating still counted


def test_satisfaction_and_resolution_count_valid_answers(surveys: dict[str, int]) -> None:
    assert cgj(at(1, 0, 12), "satisfaction") == (1, 2)
    assert cgj(at(1, 0, 12), "resolution") == (1, 2)
    assert cgj(at(5), "satisfaction") == (1, 3)


def test_rectification_counts_report_clocks_due_in_the_month(surveys: dict[str, int]) -> None:
    due = Rectification.objects.get(ticket_id=surveys["bad"]).report_due_at
    assert due == datetime(2026, 11, 11, 0, 0, tzinfo=BEIJING)  # five working days after the 3rd
    assert cgj(at(1, 0, 12), "rectification") == (1, 1)  # the untrue review's rectification ended with it
    assert cgj(at(9, 12), "rectification") == (0, 0)  # nothing due yet


def test_the_real_name_callback_rate_counts_verification_calls_by_then(surveys: dict[str, int]) -> None:
    assert cgj(at(1, 0, 12), "real_name_bad_review_callback") == (1, 1)
    assert cgj(at(3, 12), "real_name_bad_review_callback") == (0, 2)  # no call yet, the appeal not yet upheld
    assert cgj(at(5), "real_name_bad_review_callback") == (1, 2)


def test_an_upheld_appeal_changes_only_what_is_asked_as_of_after_it(surveys: dict[str, int]) -> None:
    before = rates(department=department("cgj"), start=NOVEMBER[0], end=NOVEMBER[1], as_of=at(5))
    assert before["satisfaction"] == Rate(1, 3)
    assert before["real_name_bad_review_callback"] == Rate(1, 2)


def test_every_department_at_once_adds_up_to_each_subtree(clocks: dict[str, int], surveys: dict[str, int]) -> None:
    rows = rates_by_department(start=NOVEMBER[0], end=NOVEMBER[1], as_of=at(1, 0, 12))
    city = department("city")
    summed = subtree_sum(rows, [city, department("cgj"), department("zjj")])
    for code in ("cgj", "zjj"):
        one = rates(department=department(code), start=NOVEMBER[0], end=NOVEMBER[1], as_of=at(1, 0, 12))
        assert summed[department(code).pk] == one
    # cgj: 2 of the 3 clocks above and the 5 surveyed tickets' (met on time); 住建局: 0 of 1.
    assert summed[department("cgj").pk]["on_time_response"] == Rate(7, 8)
    assert summed[city.pk]["on_time_response"] == Rate(7, 9)


def test_the_rates_api_answers_as_of_an_instant(actors: Actors, surveys: dict[str, int]) -> None:
    client = APIClient()
    client.force_authenticate(actors.supervisor)
    query = {"department": department("cgj").pk, "from": "2026-11-01", "to": "2026-11-30"}
    before = client.get("/api/v1/stats/rates/", {**query, "as_of": "2026-11-05T10:00:00+08:00"}).json()
    assert before["rates"]["satisfaction"] == {"numerator": 1, "denominator": 3, "value": 0.3333}
    assert before["rates"]["survey_rate"] == {"numerator": 4, "denominator": 5, "value": 0.8}
    later = client.get("/api/v1/stats/rates/", {**query, "as_of": "2026-12-01T00:00:00+08:00"}).json()
    assert later["rates"]["satisfaction"] == {"numerator": 1, "denominator": 2, "value": 0.5}
    bad = client.get("/api/v1/stats/rates/", {**query, "as_of": "yesterday"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert bad.status_code == 400 and "as_of" in bad.json()["fields"]
    far = client.get("/api/v1/stats/rates/", {**query, "as_of": "9999-12-31T23:59:59+00:00"})
    assert far.status_code == 400 and "as_of" in far.json()["fields"]
