"""The whole record of a ticket, as the viewer may see it: one selector for the page, the print view and the API.

Each part is one query (no query per row). ``TicketRecord.timeline`` merges the parts into one list in time order,
each entry with a Chinese title, its facts and its attachments; the API serialises the parts as they are.
Departments never see the evaluator's number, the IP a survey link was answered from, or a confidential caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from org.models import User
from reviews.models import Appeal, Rectification, SurveyAttempt, SurveyRound
from tickets import permissions
from tickets.models import (
    Attachment,
    Contact,
    Dispatch,
    ExtensionRequest,
    Reply,
    SupervisionNotice,
    Ticket,
    TicketEvent,
)
from tickets.record_entries import Entry, timeline_entries

# Events whose facts the record shows from their own rows; the rest of the event log appears as it is.
COVERED_VERBS = frozenset(
    {
        "receive",
        "dispatch",
        "sub_dispatch",
        "sign",
        "contact",
        "return",
        "extend",
        "decide_extension",
        "reply",
        "approve_reply",
        "send_back",
        "co_reply",
        "supervise",
        "remind",
        "survey",
        "survey_attempt",
        "rectification_verify",
        "rectification_report",
        "rectification_decide_invalid",
        "rectification_ledger_done",
        "rectification_inform",
        "appeal_apply",
        "appeal_opinion",
        "appeal_decide",
    }
)


@dataclass
class TicketRecord:
    ticket: Ticket
    centre_view: bool
    attachments: list[Attachment] = field(default_factory=list)
    dispatches: list[Dispatch] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    extensions: list[ExtensionRequest] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)
    notices: list[SupervisionNotice] = field(default_factory=list)
    surveys: list[SurveyRound] = field(default_factory=list)
    rectifications: list[Rectification] = field(default_factory=list)
    appeals: list[Appeal] = field(default_factory=list)
    events: list[TicketEvent] = field(default_factory=list)

    def attachments_of(self, purpose: str, object_id: int) -> list[Attachment]:
        return [a for a in self.attachments if a.purpose == purpose and a.object_id == object_id]

    @property
    def submission_attachments(self) -> list[Attachment]:
        return [a for a in self.attachments if a.purpose == Attachment.Purpose.SUBMISSION]

    @property
    def other_events(self) -> list[TicketEvent]:
        return [e for e in self.events if e.verb not in COVERED_VERBS]

    @property
    def timeline(self) -> list[Entry]:
        return timeline_entries(self)

    @property
    def latest_reply(self) -> Reply | None:
        return self.replies[-1] if self.replies else None

    @property
    def latest_survey(self) -> SurveyRound | None:
        answered = [s for s in self.surveys if s.rating is not None]
        return answered[-1] if answered else None


def is_centre_view(viewer: User) -> bool:
    """The centre (operators, reviewers, admins) reads everything; supervisors and departments less."""
    return viewer.role in ("operator", "reviewer", "admin")


def ticket_record(*, viewer: User, ticket: Ticket) -> TicketRecord:
    """The record of a ticket the viewer may already see (ticket_get checked the scope)."""
    record = TicketRecord(ticket=ticket, centre_view=is_centre_view(viewer))
    record.attachments = list(ticket.attachments.select_related("uploaded_by").order_by("uploaded_at", "pk"))
    record.dispatches = list(
        ticket.dispatches.select_related("department", "dispatched_by", "signed_by", "parent__department").order_by(
            "dispatched_at", "pk"
        )
    )
    record.contacts = list(ticket.contacts.select_related("actor").order_by("contacted_at", "pk"))
    record.extensions = list(
        ticket.extensions.select_related("requested_by", "decided_by", "dispatch__department").order_by(
            "requested_at", "pk"
        )
    )
    record.replies = list(
        ticket.replies.select_related("author", "reviewed_by", "dispatch__department").order_by("submitted_at", "pk")
    )
    record.notices = list(ticket.notices.select_related("issued_by", "department").order_by("issued_at", "pk"))
    attempts = Prefetch("attempts", queryset=SurveyAttempt.objects.select_related("entered_by").order_by("at", "pk"))
    record.surveys = list(
        SurveyRound.objects.filter(ticket=ticket)
        .select_related("department", "entered_by")
        .prefetch_related(attempts)
        .order_by("number")
    )
    record.rectifications = list(
        Rectification.objects.filter(ticket=ticket)
        .select_related("department", "round", "invalid_decided_by")
        .order_by("opened_at", "pk")
    )
    record.appeals = list(
        Appeal.objects.filter(ticket=ticket)
        .select_related("department", "round", "applicant", "head", "decided_by")
        .order_by("applied_at", "pk")
    )
    record.events = list(ticket.events.select_related("actor").order_by("at", "pk"))
    if not record.centre_view:
        for survey in record.surveys:
            survey.evaluator_phone, survey.answer_ip = "", None  # confidential: never leaves the centre
    return record


def caller_shown(viewer: User, ticket: Ticket) -> bool:
    """Whether any caller detail may be shown (a confidential caller is the centre's only)."""
    return not ticket.confidential or permissions.may_see_caller(viewer, ticket)


def document_title(ticket: Ticket) -> str:
    """交办单 while the ticket is being handled, 办结单 once it is closed."""
    return _("Case completion sheet") if ticket.status == Ticket.Status.CLOSED else _("Case assignment sheet")


def who(user: Any) -> str:
    return str(user) if user is not None else _("the system")
