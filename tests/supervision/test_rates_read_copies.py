"""The rates read copies kept beside each row (so that every rate is one range of one index): the survey clock carries
its round's rated department and untrue time, the rectification its round's untrue time, the bad review its ticket's
anonymity and its rectification's verification time. The services write them; here they agree, and count."""

from __future__ import annotations

from datetime import date, datetime

from reviews import services as review_services
from reviews.models import Rectification, SurveyRound
from supervision.rates import rates
from tests.factories import Actors, department, receive
from tickets import services
from tickets.deadlines import BEIJING
from tickets.models import Deadline


def at(day: int, hour: int = 10, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=BEIJING)


def rated_bad(actors: Actors, time_machine, **fields: object) -> SurveyRound:
    """A ticket of cgj answered on 2 November, its reply approved, rated 非常不满意 by phone on the 3rd."""
    time_machine.move_to(at(2), tick=False)
    ticket = receive(actors, **fields)
    services.ticket_dispatch(ticket_id=ticket.pk, actor=actors.operator, department_id=department("cgj").pk)
    services.ticket_sign(ticket_id=ticket.pk, actor=actors.handler)
    services.ticket_contact(ticket_id=ticket.pk, actor=actors.handler, channel="phone", note="已电话联系市民")
    services.ticket_reply(ticket_id=ticket.pk, actor=actors.handler, outcome="solved", text="已处理")
    services.ticket_approve_reply(ticket_id=ticket.pk, actor=actors.reviewer)
    time_machine.move_to(at(3), tick=False)
    op = actors.operator
    review_services.ticket_survey(ticket_id=ticket.pk, actor=op, outcome="answered", rating=1, solved=False)
    return SurveyRound.objects.get(ticket=ticket)


def callback_rate(as_of: datetime) -> tuple[int, int]:
    rate = rates(department=department("cgj"), start=date(2026, 11, 1), end=date(2026, 11, 30), as_of=as_of)
    return rate["real_name_bad_review_callback"].numerator, rate["real_name_bad_review_callback"].denominator


def test_an_anonymous_callers_bad_review_is_not_in_the_real_name_callback_rate(actors: Actors, time_machine) -> None:
    named = rated_bad(actors, time_machine)
    anonymous = rated_bad(actors, time_machine, anonymous=True)
    assert (named.anonymous, anonymous.anonymous) == (False, True)
    assert callback_rate(at(3, 12)) == (0, 1)
    time_machine.move_to(at(4), tick=False)
    for survey in (named, anonymous):
        review_services.rectification_verify(
            rectification_id=survey.rectification.pk, actor=actors.handler, note="已回访核实"
        )
    assert callback_rate(at(3, 12)) == (0, 1)  # asked as of before the call, the answer stays
    assert callback_rate(at(4, 12)) == (1, 1)


def test_the_copies_agree_with_what_they_copy_through_a_verification_and_an_upheld_appeal(
    actors: Actors, time_machine
) -> None:
    survey = rated_bad(actors, time_machine)
    assert survey.deadline is not None
    clock = survey.deadline
    assert clock.kind == Deadline.Kind.SURVEY and clock.department_id is None  # still the centre's clock
    assert clock.rated_department_id == survey.department_id == department("cgj").pk
    rectification = Rectification.objects.get(round=survey)
    time_machine.move_to(at(4), tick=False)
    review_services.rectification_verify(rectification_id=rectification.pk, actor=actors.handler, note="已回访核实")
    appeal = review_services.appeal_apply(
        ticket_number=survey.ticket.number, actor=actors.handler, reasons="评价与事实不符，问题已于当天解决"
    )
    review_services.appeal_opinion(appeal_id=appeal.pk, actor=actors.head, supports=True, note="同意申请复核")
    time_machine.move_to(at(9), tick=False)
    review_services.appeal_decide(appeal_id=appeal.pk, actor=actors.reviewer, upheld=True, note="经核实，差评不属实")
    survey.refresh_from_db()
    clock.refresh_from_db()
    rectification.refresh_from_db()
    assert survey.untrue_at == clock.untrue_at == rectification.untrue_at == at(9)
    assert survey.verified_at == rectification.verified_at == at(4)
    assert callback_rate(at(5)) == (1, 1)
    assert callback_rate(at(10)) == (0, 0)  # found untrue: it leaves the rate
