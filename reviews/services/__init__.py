"""One function per write for surveys, rectifications and appeals."""

from reviews.services.appeals import appeal_apply, appeal_decide, appeal_opinion
from reviews.services.rectification import (
    rectification_decide_invalid,
    rectification_inform,
    rectification_ledger_contact,
    rectification_ledger_done,
    rectification_report,
    rectification_verify,
)
from reviews.services.surveys import survey_answer_ivr, survey_answer_sms, survey_round_open, ticket_survey

__all__ = [
    "appeal_apply",
    "appeal_decide",
    "appeal_opinion",
    "rectification_decide_invalid",
    "rectification_inform",
    "rectification_ledger_contact",
    "rectification_ledger_done",
    "rectification_report",
    "rectification_verify",
    "survey_answer_ivr",
    "survey_answer_sms",
    "survey_round_open",
    "ticket_survey",
]
