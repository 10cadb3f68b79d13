"""The survey loop lives in reviews/; the life cycle hands tickets to it here.

Imported late, because reviews builds on tickets.
"""

from __future__ import annotations

from datetime import datetime

from tickets.models import Ticket


def survey_round_open(ticket: Ticket, *, at: datetime) -> None:
    from reviews.services.surveys import survey_round_open as open_round

    open_round(ticket, at=at)


def survey_rounds_cancel(ticket: Ticket) -> None:
    from reviews.models import SurveyRound

    SurveyRound.objects.filter(ticket=ticket, state=SurveyRound.State.OPEN).update(state=SurveyRound.State.CANCELLED)


def rectifications_end(ticket: Ticket, *, at: datetime) -> int:
    """End the ticket's unfinished rectifications (their clocks end with the ticket's)."""
    from reviews import steps
    from reviews.models import Rectification

    unfinished = Rectification.objects.filter(ticket=ticket, state__in=steps.from_states("rect_end"))
    return unfinished.update(state=steps.ENDED, ended_at=at)
