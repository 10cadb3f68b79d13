"""Rectification and appeal steps on the ticket page, each offered only when it applies to this user now."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hotline.errors import DomainError
from org.models import User
from reviews import permissions, services
from reviews.models import Appeal, Rectification, SurveyRound
from tickets.forms import YES_NO, MultipleFileField, NoteForm
from tickets.models import Ticket


class ReportForm(forms.Form):
    report_type = forms.ChoiceField(label=_("report type"), choices=Rectification.ReportType.choices)
    text = forms.CharField(label=_("report"), widget=forms.Textarea(attrs={"rows": 3}))
    ledger_due_date = forms.DateField(
        label=_("ledger deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    attachments = MultipleFileField(label=_("photos and documents"), required=False)


class DecideInvalidForm(NoteForm):
    approve = forms.ChoiceField(label=_("the review is invalid"), choices=YES_NO)


class AppealForm(forms.Form):
    reasons = forms.CharField(label=_("reasons"), widget=forms.Textarea(attrs={"rows": 3}))


class OpinionForm(NoteForm):
    supports = forms.ChoiceField(label=_("support the appeal"), choices=YES_NO)


class AppealDecideForm(NoteForm):
    upheld = forms.ChoiceField(label=_("the review is untrue"), choices=YES_NO)


def _open_rectification(ticket: Ticket) -> Rectification | None:
    return Rectification.objects.filter(ticket=ticket).select_related("department").order_by("-pk").first()


def _open_appeal(ticket: Ticket, state: str) -> Appeal | None:
    return Appeal.objects.filter(ticket=ticket, state=state).select_related("department").first()


def _allowed(check: Callable[[], None]) -> bool:
    try:
        check()
    except DomainError:
        return False
    return True


def _rect_step(states: tuple[str, ...], *, ledger: bool = False) -> Callable[[Ticket, User], bool]:
    def available(ticket: Ticket, user: User) -> bool:
        rect = _open_rectification(ticket)
        if rect is None or rect.state not in states:
            return False
        if ledger and (rect.report_type != "ledger" or rect.ledger_done_at):
            return False
        return _allowed(lambda: permissions.ensure_department_actor(user, rect.department))

    return available


def _appeal_apply_available(ticket: Ticket, user: User) -> bool:
    bad = (
        SurveyRound.objects.filter(ticket=ticket, state="answered", rating__lte=2, untrue=False)
        .select_related("department")
        .order_by("-number")
        .first()
    )
    if (
        bad is None
        or bad.department is None
        or Appeal.objects.filter(round=bad).exclude(state__in=["upheld", "rejected"]).exists()
    ):
        return False
    department = bad.department
    return user.role in ("handler", "head") and _allowed(lambda: permissions.ensure_department_actor(user, department))


def _rect_id(ticket: Ticket) -> int:
    rect = _open_rectification(ticket)
    assert rect is not None
    return rect.pk


def _appeal_id(ticket: Ticket, state: str) -> int:
    appeal = _open_appeal(ticket, state)
    if appeal is None:
        raise DomainError(_("This step is not possible at this stage of the appeal."), code="transition_not_allowed")
    return appeal.pk


Do = Callable[[Ticket, User, dict[str, Any]], object]
REVIEW_ACTIONS: dict[str, tuple[type[forms.Form], Do, Callable[[Ticket, User], bool]]] = {
    "rect_verify": (
        NoteForm,
        lambda t, u, d: services.rectification_verify(rectification_id=_rect_id(t), actor=u, note=d["note"]),
        _rect_step(("open",)),
    ),
    "rect_report": (
        ReportForm,
        lambda t, u, d: services.rectification_report(
            rectification_id=_rect_id(t),
            actor=u,
            report_type=d["report_type"],
            text=d["text"],
            ledger_due_date=d["ledger_due_date"],
            attachments=d["attachments"],
        ),
        _rect_step(("verified",)),
    ),
    "rect_decide_invalid": (
        DecideInvalidForm,
        lambda t, u, d: services.rectification_decide_invalid(
            rectification_id=_rect_id(t), actor=u, approve=d["approve"] == "yes", note=d["note"]
        ),
        lambda t, u: u.role == "reviewer" and _rect_step(("awaiting_approval",))(t, u),
    ),
    "rect_ledger_contact": (
        NoteForm,
        lambda t, u, d: services.rectification_ledger_contact(rectification_id=_rect_id(t), actor=u, note=d["note"]),
        _rect_step(("reported", "done"), ledger=True),
    ),
    "rect_ledger_done": (
        NoteForm,
        lambda t, u, d: services.rectification_ledger_done(rectification_id=_rect_id(t), actor=u, note=d["note"]),
        _rect_step(("reported", "done"), ledger=True),
    ),
    "rect_inform": (
        NoteForm,
        lambda t, u, d: services.rectification_inform(rectification_id=_rect_id(t), actor=u, note=d["note"]),
        _rect_step(("reported",)),
    ),
    "appeal_apply": (
        AppealForm,
        lambda t, u, d: services.appeal_apply(ticket_number=t.number, actor=u, reasons=d["reasons"]),
        _appeal_apply_available,
    ),
    "appeal_opinion": (
        OpinionForm,
        lambda t, u, d: services.appeal_opinion(
            appeal_id=_appeal_id(t, "awaiting_head"), actor=u, supports=d["supports"] == "yes", note=d["note"]
        ),
        lambda t, u: u.role == "head" and _open_appeal(t, "awaiting_head") is not None,
    ),
    "appeal_decide": (
        AppealDecideForm,
        lambda t, u, d: services.appeal_decide(
            appeal_id=_appeal_id(t, "awaiting_centre"), actor=u, upheld=d["upheld"] == "yes", note=d["note"]
        ),
        lambda t, u: u.role == "reviewer" and _open_appeal(t, "awaiting_centre") is not None,
    ),
}
