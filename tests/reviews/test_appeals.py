"""复核: upheld, the rating is 不属实 and leaves the rates; rejected, nothing changes."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from hotline.errors import Forbidden
from reviews import services
from reviews.models import SurveyRound
from supervision.rates import rates
from tests.factories import Actors, department, ticket_in
from tickets import workflow


@pytest.fixture
def rated(actors: Actors) -> str:
    """Two tickets of 市城市管理局 rated today: one 5, one 1 (the one appealed)."""
    good, bad = ticket_in(workflow.AWAITING_SURVEY, actors), ticket_in(workflow.AWAITING_SURVEY, actors)
    services.ticket_survey(ticket_id=good.pk, actor=actors.operator, outcome="answered", rating=5, solved=True)
    services.ticket_survey(ticket_id=bad.pk, actor=actors.operator, outcome="answered", rating=1, solved=False)
    return bad.number


def satisfaction() -> tuple[int, int]:
    today = timezone.localdate()
    rate = rates(department=department("cgj"), start=today, end=today)["satisfaction"]
    return rate.numerator, rate.denominator


def appeal_through_the_head(actors: Actors, number: str) -> int:
    appeal = services.appeal_apply(
        ticket_number=number, actor=actors.handler, reasons="市民反映的问题已于当天解决，评价与事实不符"
    )
    services.appeal_opinion(appeal_id=appeal.pk, actor=actors.head, supports=True, note="同意申请复核")
    return appeal.pk


def test_an_upheld_appeal_takes_the_rating_out_of_the_rates(actors: Actors, rated: str) -> None:
    assert satisfaction() == (1, 2)
    appeal_id = appeal_through_the_head(actors, rated)
    services.appeal_decide(appeal_id=appeal_id, actor=actors.reviewer, upheld=True, note="经核实，差评不属实")
    assert satisfaction() == (1, 1)
    survey = SurveyRound.objects.get(ticket__number=rated)
    assert survey.untrue and survey.rating == 1  # it stays visible, with the decision
    assert survey.ticket.events.filter(verb__in=["appeal_apply", "appeal_opinion", "appeal_decide"]).count() == 3


def test_a_rejected_appeal_changes_nothing(actors: Actors, rated: str) -> None:
    appeal_id = appeal_through_the_head(actors, rated)
    services.appeal_decide(appeal_id=appeal_id, actor=actors.reviewer, upheld=False, note="评价属实")
    assert satisfaction() == (1, 2)
    assert not SurveyRound.objects.get(ticket__number=rated).untrue


def test_only_the_head_gives_the_first_opinion_and_only_the_centre_decides(actors: Actors, rated: str) -> None:
    appeal = services.appeal_apply(ticket_number=rated, actor=actors.handler, reasons="评价与事实不符")
    with pytest.raises(Forbidden):
        services.appeal_opinion(appeal_id=appeal.pk, actor=actors.handler, supports=True, note="同意")
    services.appeal_opinion(appeal_id=appeal.pk, actor=actors.head, supports=False, note="不同意")
    with pytest.raises(Forbidden):
        services.appeal_decide(appeal_id=appeal.pk, actor=actors.head, upheld=True, note="x")
    assert satisfaction() == (1, 2)


def test_the_period_is_inclusive_and_outside_it_nothing_counts(actors: Actors, rated: str) -> None:
    result = rates(department=department("cgj"), start=date(2020, 1, 1), end=date(2020, 1, 31))
    assert result["satisfaction"].denominator == 0 and result["satisfaction"].value is None
