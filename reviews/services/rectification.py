"""差评整改: verification call within 1 working day, report within 5, the citizen told, then a new survey round."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hotline.errors import DomainError, NotFound
from hotline.inputs import ensure_within_a_year
from org.models import Department, User
from reviews import permissions, steps
from reviews.models import Appeal, Rectification, SurveyRound
from tickets import workflow
from tickets.models import Ticket
from tickets.services.attachments import attachments_save
from tickets.services.clocks import deadline_meet, deadline_start, deadline_start_until, policy_days
from tickets.services.common import event_record, notify, status_move
from tickets.services.ownership import ticket_write

R = Rectification.State


def rectification_open(ticket: Ticket, survey: SurveyRound, *, at: datetime) -> Rectification:
    department = survey.department or Department.objects.get(kind=Department.Kind.CENTRE)
    deadline_start(
        ticket, "rect_response", department=department, started_at=at, working_days=policy_days(ticket, "response")
    )
    report = deadline_start(
        ticket, "rect_reply", department=department, started_at=at, working_days=policy_days(ticket, "reply")
    )
    rectification = Rectification.objects.create(
        ticket=ticket, round=survey, department=department, opened_at=at, report_due_at=report.due_at
    )
    notify(
        ticket,
        "bad_review",
        key=f"bad_review:{rectification.pk}",
        department=department,
        text=gettext("Bad review on %(number)s: rectification due") % {"number": ticket.number},
    )
    return rectification


def appeal_state(rectification: Rectification) -> str:
    """The state of the latest appeal against the rectification's review ("" when there is none)."""
    state = Appeal.objects.filter(round_id=rectification.round_id).order_by("-pk").values_list("state", flat=True)
    return state.first() or steps.NONE


def _lock(rectification_id: int, actor: User, verb: str) -> Rectification:
    """Lock the ticket, then the rectification (the one lock order), and check ``verb`` against reviews/steps.py."""
    ticket_id = Rectification.objects.filter(pk=rectification_id).values_list("ticket_id", flat=True).first()
    if ticket_id is None:
        raise NotFound(_("Not found."))
    Ticket.objects.select_for_update().filter(pk=ticket_id).first()
    rectification = (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("department", "ticket")
        .get(pk=rectification_id)
    )
    if steps.RECTIFICATION_STEPS[verb].by == steps.REVIEWER:
        permissions.ensure_in_scope(actor, rectification.department)
        permissions.ensure_reviewer(actor)
    else:
        permissions.ensure_department_actor(actor, rectification.department)
    steps.ensure_step(verb, rectification.state, appeal_state=appeal_state(rectification))
    return rectification


@ticket_write
def rectification_verify(*, rectification_id: int, actor: User, note: str) -> Rectification:
    """回访核实: the department calls the citizen to verify the complaint."""
    rect = _lock(rectification_id, actor, "rect_verify")
    if not note.strip():
        raise DomainError(_("Write down what the citizen said."), code="note_required")
    rect.state, rect.verified_at, rect.verification_note = R.VERIFIED, timezone.now(), note.strip()
    rect.save(update_fields=["state", "verified_at", "verification_note"])
    # The copy 实名差评回访率 reads beside the bad review (see SurveyRound.verified_at).
    SurveyRound.objects.filter(pk=rect.round_id).update(verified_at=rect.verified_at)
    deadline_meet(rect.ticket, "rect_response", at=rect.verified_at)
    event_record(rect.ticket, actor, "rectification_verify", note=note.strip(), payload={"rectification": rect.pk})
    return rect


@ticket_write
def rectification_report(
    *,
    rectification_id: int,
    actor: User,
    report_type: str,
    text: str,
    ledger_due_date: date | None = None,
    attachments: Sequence[UploadedFile] = (),
) -> Rectification:
    rect = _lock(rectification_id, actor, "rect_report")
    if report_type not in Rectification.ReportType.values:
        raise DomainError(_("Choose the type of the rectification report."), code="invalid_report_type")
    if not text.strip():
        raise DomainError(_("Write the rectification report."), code="report_required")
    now = timezone.now()
    if report_type == Rectification.ReportType.LEDGER:
        if ledger_due_date is None or ledger_due_date <= timezone.localdate(now):
            raise DomainError(_("A ledger entry needs a deadline after today."), code="invalid_ledger_date")
        ensure_within_a_year(ledger_due_date)
        deadline_start_until(
            rect.ticket, "ledger", department=rect.department, started_at=now, last_day=ledger_due_date
        )
    rect.report_type, rect.report_text, rect.reported_at = report_type, text.strip(), now
    rect.ledger_due_date = ledger_due_date if report_type == Rectification.ReportType.LEDGER else None
    to = R.AWAITING_APPROVAL if report_type == Rectification.ReportType.INVALID else R.REPORTED
    steps.ensure_step("rect_report", rect.state, to)
    rect.state = to
    rect.save()
    deadline_meet(rect.ticket, "rect_reply", at=now)
    attachments_save(ticket=rect.ticket, purpose="rectification", object_id=rect.pk, files=attachments, actor=actor)
    event_record(
        rect.ticket,
        actor,
        "rectification_report",
        note=text.strip(),
        payload={
            "rectification": rect.pk,
            "type": report_type,
            "ledger_due_date": rect.ledger_due_date.isoformat() if rect.ledger_due_date else None,
        },
    )
    return rect


@ticket_write
def rectification_decide_invalid(*, rectification_id: int, actor: User, approve: bool, note: str = "") -> Rectification:
    """An invalid review (无效差评) needs the centre's approval; a rejection sends the department to report again."""
    rect = _lock(rectification_id, actor, "rect_decide_invalid")
    rect.invalid_decided_by = actor
    now = timezone.now()
    if approve:
        rect.state = R.REPORTED
    else:
        if not note.strip():
            raise DomainError(_("Say why the review is not invalid."), code="reason_required")
        rect.state, rect.report_type, rect.reported_at = R.VERIFIED, "", None
        report = deadline_start(
            rect.ticket,
            "rect_reply",
            department=rect.department,
            started_at=now,
            working_days=policy_days(rect.ticket, "reply"),
        )
        rect.report_due_at = report.due_at
    rect.save()
    event_record(
        rect.ticket,
        actor,
        "rectification_decide_invalid",
        note=note.strip(),
        payload={"rectification": rect.pk, "approved": approve},
    )
    return rect


def _ledger(rectification_id: int, actor: User, verb: str) -> Rectification:
    rect = _lock(rectification_id, actor, verb)
    if rect.report_type != Rectification.ReportType.LEDGER or rect.ledger_done_at:
        raise DomainError(_("This rectification has no open ledger entry."), code="no_ledger")
    return rect


@ticket_write
def rectification_ledger_contact(*, rectification_id: int, actor: User, note: str) -> Rectification:
    """Before the ledger deadline, the department tells the citizen it will not make it (else the entry breaches)."""
    rect = _ledger(rectification_id, actor, "rect_ledger_contact")
    if not note.strip():
        raise DomainError(_("Write down what the citizen was told."), code="note_required")
    deadline = deadline_meet(rect.ticket, "ledger", at=timezone.now())
    if deadline is None or deadline.met_at is None or deadline.met_at > deadline.due_at:
        raise DomainError(_("The ledger deadline has passed."), code="ledger_too_late")
    event_record(
        rect.ticket,
        actor,
        "rectification_ledger_contact",
        note=note.strip(),
        deadline=None,
        payload={"rectification": rect.pk},
    )
    return rect


@ticket_write
def rectification_ledger_done(*, rectification_id: int, actor: User, note: str = "") -> Rectification:
    rect = _ledger(rectification_id, actor, "rect_ledger_done")
    rect.ledger_done_at = timezone.now()
    rect.save(update_fields=["ledger_done_at"])
    deadline_meet(rect.ticket, "ledger", at=rect.ledger_done_at)
    event_record(rect.ticket, actor, "rectification_ledger_done", note=note.strip(), payload={"rectification": rect.pk})
    return rect


@ticket_write
def rectification_inform(*, rectification_id: int, actor: User, note: str) -> Rectification:
    """The citizen is told the outcome; the ticket is surveyed again."""
    from reviews.services.surveys import survey_round_open

    rect = _lock(rectification_id, actor, "rect_inform")
    if not note.strip():
        raise DomainError(_("Write down what the citizen was told."), code="note_required")
    now = timezone.now()
    rect.state, rect.informed_at, rect.informed_note = R.DONE, now, note.strip()
    rect.save(update_fields=["state", "informed_at", "informed_note"])
    ticket = Ticket.objects.get(pk=rect.ticket_id)
    status_move(
        ticket,
        workflow.AWAITING_SURVEY,
        actor=actor,
        verb="rectification_inform",
        note=note.strip(),
        payload={"rectification": rect.pk},
    )
    survey_round_open(ticket, at=now)
    return rect
