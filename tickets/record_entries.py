"""The record's parts as one list in time order: each entry a Chinese title, who, when, its facts and attachments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tickets.models import Attachment, Dispatch, ExtensionRequest, Reply
from tickets.templatetags.hotline import action_label

if TYPE_CHECKING:
    from tickets.record import TicketRecord


@dataclass
class Entry:
    at: datetime
    kind: str
    title: str
    actor: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)
    text: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    tone: str = "secondary"


def _who(user: Any) -> str:
    return str(user) if user is not None else ""


def _yes_no(value: bool | None) -> str:
    return "—" if value is None else (_("yes") if value else _("no"))


def _dispatch_entries(record: TicketRecord) -> list[Entry]:
    entries = []
    for d in record.dispatches:
        title = _("Sent to %(department)s (%(role)s)") % {"department": d.department, "role": d.get_role_display()}
        facts = [(_("from unit"), str(d.parent.department))] if d.parent else []
        entries.append(Entry(d.dispatched_at, "dispatch", title, _who(d.dispatched_by), facts, tone="primary"))
        if d.signed_at:
            entries.append(
                Entry(
                    d.signed_at, "sign", _("Signed by %(department)s") % {"department": d.department}, _who(d.signed_by)
                )
            )
        if d.returned_at:
            facts = [(_("decision"), d.get_return_state_display())]
            entries.append(
                Entry(
                    d.returned_at,
                    "return",
                    _("Returned by %(department)s") % {"department": d.department},
                    "",
                    facts,
                    d.return_reason,
                    tone="warning",
                )
            )
        if d.replied_at and d.role != Dispatch.Role.LEAD:
            title = (
                _("Findings of %(department)s")
                if d.role == Dispatch.Role.SUB
                else _("Co-handling reply of %(department)s")
            )
            entries.append(Entry(d.replied_at, "co_reply", title % {"department": d.department}, "", [], d.reply_text))
    return entries


def _reply_entries(record: TicketRecord) -> list[Entry]:
    entries = []
    for version, r in enumerate(record.replies, start=1):
        facts = [(_("outcome"), r.get_outcome_display()), (_("department"), str(r.dispatch.department))]
        title = _("Reply, version %(n)s") % {"n": version}
        entries.append(
            Entry(
                r.submitted_at,
                "reply",
                title,
                _who(r.author),
                facts,
                r.text,
                record.attachments_of(Attachment.Purpose.REPLY, r.pk),
                tone="info",
            )
        )
        if r.reviewed_at:
            tone = "success" if r.state == Reply.State.APPROVED else "danger"
            title = _("Review of reply version %(n)s: %(decision)s") % {"n": version, "decision": r.get_state_display()}
            entries.append(Entry(r.reviewed_at, "review", title, _who(r.reviewed_by), [], r.review_note, tone=tone))
    return entries


def _extension_entries(record: TicketRecord) -> list[Entry]:
    entries = []
    for x in record.extensions:
        facts = [
            (_("requested date"), date_format(x.new_due_date, "Y-m-d")),
            (_("citizen informed"), _yes_no(x.citizen_informed)),
            (_("decision"), x.get_state_display()),
        ]
        entries.append(Entry(x.requested_at, "extend", _("Extension requested"), _who(x.requested_by), facts, x.reason))
        if x.decided_at:
            tone = "success" if x.state == ExtensionRequest.State.APPROVED else "danger"
            title = _("Extension decided: %(decision)s") % {"decision": x.get_state_display()}
            entries.append(
                Entry(x.decided_at, "decide_extension", title, _who(x.decided_by), [], x.decision_note, tone=tone)
            )
    return entries


def _survey_entries(record: TicketRecord) -> list[Entry]:
    entries = []
    for s in record.surveys:
        facts = [(_("channel"), s.get_channel_display() or "—"), (_("state"), s.get_state_display())]
        if s.rating is not None:
            facts += [(_("rating"), s.get_rating_display()), (_("solved"), _yes_no(s.solved))]
        if s.untrue:
            facts.append((_("review"), _("untrue (appeal upheld)")))
        if record.centre_view and s.evaluator_phone:
            facts.append((_("evaluator"), s.evaluator_phone))
        for a in s.attempts.all():
            facts.append((_("attempt"), f"{date_format(a.at, 'Y-m-d H:i')} {a.get_outcome_display()}"))
        tone = "danger" if s.is_bad else ("success" if s.rating else "secondary")
        title = _("Survey, round %(n)s") % {"n": s.number}
        if s.state == "unreachable":
            tone, title = (
                "warning",
                _("Survey, round %(n)s: citizen unreachable, closed without a rating") % {"n": s.number},
            )
        entries.append(
            Entry(s.answered_at or s.opened_at, "survey", title, _who(s.entered_by), facts, s.comment, tone=tone)
        )
    return entries


def _rectification_entries(record: TicketRecord) -> list[Entry]:
    entries = []
    for r in record.rectifications:
        department = str(r.department)
        entries.append(
            Entry(
                r.opened_at,
                "rectification",
                _("Rectification opened for %(department)s") % {"department": department},
                tone="danger",
            )
        )
        if r.verified_at:
            entries.append(
                Entry(r.verified_at, "rectification_verify", _("Verification call"), "", [], r.verification_note)
            )
        if r.reported_at:
            facts = [(_("report type"), r.get_report_type_display())]
            if r.ledger_due_date:
                facts.append((_("ledger deadline"), date_format(r.ledger_due_date, "Y-m-d")))
            entries.append(
                Entry(
                    r.reported_at,
                    "rectification_report",
                    _("Rectification report"),
                    "",
                    facts,
                    r.report_text,
                    record.attachments_of(Attachment.Purpose.RECTIFICATION, r.pk),
                )
            )
        if r.ledger_done_at:
            entries.append(Entry(r.ledger_done_at, "rectification_ledger_done", _("Ledger entry done")))
        if r.informed_at:
            entries.append(
                Entry(r.informed_at, "rectification_inform", _("Citizen told the outcome"), "", [], r.informed_note)
            )
    return entries


def _appeal_entries(record: TicketRecord) -> list[Entry]:
    entries = []
    for a in record.appeals:
        entries.append(
            Entry(
                a.applied_at,
                "appeal",
                _("Appeal against the review of round %(n)s") % {"n": a.round.number},
                _who(a.applicant),
                [],
                a.reasons,
                tone="warning",
            )
        )
        if a.head_at:
            opinion = _("supports") if a.head_supports else _("does not support")
            entries.append(
                Entry(
                    a.head_at,
                    "appeal_opinion",
                    _("Head's opinion: %(opinion)s") % {"opinion": opinion},
                    _who(a.head),
                    [],
                    a.head_note,
                )
            )
        if a.decided_at:
            entries.append(
                Entry(
                    a.decided_at,
                    "appeal_decide",
                    _("Appeal decided: %(decision)s") % {"decision": a.get_state_display()},
                    _who(a.decided_by),
                    [],
                    a.decision_note,
                )
            )
    return entries


def _other_entries(record: TicketRecord) -> list[Entry]:
    entries = [
        Entry(
            c.contacted_at,
            "contact",
            _("Contact with the citizen"),
            _who(c.actor),
            [(_("channel"), c.get_channel_display())],
            c.note,
        )
        for c in record.contacts
    ]
    entries += [
        Entry(
            n.issued_at,
            n.kind,
            f"{n.get_kind_display()} → {n.department}",
            _who(n.issued_by),
            [],
            n.reason,
            tone="danger",
        )
        for n in record.notices
    ]
    for e in record.other_events:
        facts = []
        if e.verb == "arbitrate_return":
            facts.append((_("decision"), _("return accepted") if e.payload.get("accepted") else _("return rejected")))
        entries.append(Entry(e.at, "event", action_label(e.verb), _who(e.actor), facts, e.note))
    return entries


def timeline_entries(record: TicketRecord) -> list[Entry]:
    ticket = record.ticket
    received = Entry(
        ticket.created_at,
        "receive",
        _("Received"),
        _who(ticket.received_by),
        [(_("channel"), ticket.get_channel_display())],
        ticket.content,
        record.submission_attachments,
        tone="primary",
    )
    entries = [received]
    for part in (
        _dispatch_entries,
        _reply_entries,
        _extension_entries,
        _survey_entries,
        _rectification_entries,
        _appeal_entries,
        _other_entries,
    ):
        entries += part(record)
    return sorted(entries, key=lambda entry: entry.at)
