"""The whole record in the API detail: the same parts as the page, from the same selector (tickets/record.py)."""

from __future__ import annotations

from typing import Any

from tickets.record import TicketRecord


def _user(user: Any) -> str | None:
    return user.username if user is not None else None


def _files(record: TicketRecord, purpose: str, object_id: int) -> list[dict[str, Any]]:
    return [
        {"id": a.pk, "name": a.name, "content_type": a.content_type, "size": a.size}
        for a in record.attachments_of(purpose, object_id)
    ]


def dispatches(record: TicketRecord) -> list[dict[str, Any]]:
    return [
        {
            "department": d.department.name,
            "role": d.role,
            "parent_department": d.parent.department.name if d.parent else None,
            "active": d.active,
            "dispatched_at": d.dispatched_at,
            "signed_at": d.signed_at,
            "return_state": d.return_state,
            "return_reason": d.return_reason,
            "returned_at": d.returned_at,
            "replied_at": d.replied_at,
            "reply_text": d.reply_text,
        }
        for d in record.dispatches
    ]


def replies(record: TicketRecord) -> list[dict[str, Any]]:
    return [
        {
            "version": version,
            "department": r.dispatch.department.name,
            "author": _user(r.author),
            "outcome": r.outcome,
            "text": r.text,
            "submitted_at": r.submitted_at,
            "state": r.state,
            "reviewed_by": _user(r.reviewed_by),
            "reviewed_at": r.reviewed_at,
            "review_note": r.review_note,
            "attachments": _files(record, "reply", r.pk),
        }
        for version, r in enumerate(record.replies, start=1)
    ]


def contacts(record: TicketRecord) -> list[dict[str, Any]]:
    return [
        {"channel": c.channel, "contacted_at": c.contacted_at, "note": c.note, "actor": _user(c.actor)}
        for c in record.contacts
    ]


def extensions(record: TicketRecord) -> list[dict[str, Any]]:
    return [
        {
            "reason": x.reason,
            "requested_at": x.requested_at,
            "requested_by": _user(x.requested_by),
            "new_due_date": x.new_due_date,
            "citizen_informed": x.citizen_informed,
            "state": x.state,
            "decided_at": x.decided_at,
            "decision_note": x.decision_note,
        }
        for x in record.extensions
    ]


def notices(record: TicketRecord) -> list[dict[str, Any]]:
    return [
        {"kind": n.kind, "department": n.department.name, "reason": n.reason, "issued_at": n.issued_at}
        for n in record.notices
    ]


def surveys(record: TicketRecord) -> list[dict[str, Any]]:
    rows = []
    for s in record.surveys:
        row = {
            "round": s.number,
            "state": s.state,
            "channel": s.channel,
            "rating": s.rating,
            "solved": s.solved,
            "comment": s.comment,
            "untrue": s.untrue,
            "answered_at": s.answered_at,
            "attempts": [{"at": a.at, "outcome": a.outcome, "channel": a.channel} for a in s.attempts.all()],
        }
        rows.append(row)
    return rows


def rectifications(record: TicketRecord) -> list[dict[str, Any]]:
    return [
        {
            "department": r.department.name,
            "round": r.round.number,
            "state": r.state,
            "opened_at": r.opened_at,
            "verified_at": r.verified_at,
            "verification_note": r.verification_note,
            "report_type": r.report_type,
            "report_text": r.report_text,
            "reported_at": r.reported_at,
            "ledger_due_date": r.ledger_due_date,
            "ledger_done_at": r.ledger_done_at,
            "informed_at": r.informed_at,
            "informed_note": r.informed_note,
            "attachments": _files(record, "rectification", r.pk),
        }
        for r in record.rectifications
    ]


def appeals(record: TicketRecord) -> list[dict[str, Any]]:
    return [
        {
            "round": a.round.number,
            "state": a.state,
            "reasons": a.reasons,
            "applied_at": a.applied_at,
            "head_supports": a.head_supports,
            "head_note": a.head_note,
            "head_at": a.head_at,
            "decision_note": a.decision_note,
            "decided_at": a.decided_at,
        }
        for a in record.appeals
    ]


PARTS = {
    "dispatches": dispatches,
    "replies": replies,
    "contacts": contacts,
    "extensions": extensions,
    "notices": notices,
    "surveys": surveys,
    "rectifications": rectifications,
    "appeals": appeals,
}


def record_parts(record: TicketRecord) -> dict[str, Any]:
    parts = {name: build(record) for name, build in PARTS.items()}
    parts["attachments"] = [
        {"id": a.pk, "name": a.name, "content_type": a.content_type, "purpose": a.purpose, "size": a.size}
        for a in record.attachments
    ]
    return parts
