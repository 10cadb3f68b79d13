"""Rectification and appeal steps on the ticket page, each offered only when it applies to this user now."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hotline.errors import DomainError
from org.models import User
from reviews import services
from reviews.models import Rectification
from reviews.selectors import appeal_current, rectification_current
from tickets.forms import MultipleFileField, NoteForm, YesNoField
from tickets.models import Ticket


class ReportForm(forms.Form):
    report_type = forms.ChoiceField(label=_("report type"), choices=Rectification.ReportType.choices)
    text = forms.CharField(label=_("report"), widget=forms.Textarea(attrs={"rows": 3}))
    ledger_due_date = forms.DateField(
        label=_("ledger deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    attachments = MultipleFileField(label=_("photos and documents"), required=False)


class DecideInvalidForm(NoteForm):
    approve = YesNoField(label=_("the review is invalid"))


class AppealForm(forms.Form):
    reasons = forms.CharField(label=_("reasons"), widget=forms.Textarea(attrs={"rows": 3}))


class OpinionForm(NoteForm):
    supports = YesNoField(label=_("support the appeal"))


class AppealDecideForm(NoteForm):
    upheld = YesNoField(label=_("the review is untrue"))


def _rect_id(ticket: Ticket) -> int:
    rect = rectification_current(ticket)
    if rect is None:
        raise DomainError(
            _("This step is not possible at this stage of the rectification."), code="transition_not_allowed"
        )
    return rect.pk


def _appeal_id(ticket: Ticket) -> int:
    rect = rectification_current(ticket)
    appeal = appeal_current(rect) if rect else None
    if appeal is None:
        raise DomainError(_("This step is not possible at this stage of the appeal."), code="transition_not_allowed")
    return appeal.pk


Do = Callable[[Ticket, User, dict[str, Any]], object]
# One form and one service per step; which step is offered to whom comes from reviews/steps.py (review_actions).
REVIEW_ACTIONS: dict[str, tuple[type[forms.Form], Do]] = {
    "rect_verify": (
        NoteForm,
        lambda t, u, d: services.rectification_verify(rectification_id=_rect_id(t), actor=u, note=d["note"]),
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
    ),
    "rect_decide_invalid": (
        DecideInvalidForm,
        lambda t, u, d: services.rectification_decide_invalid(
            rectification_id=_rect_id(t), actor=u, approve=d["approve"] == "yes", note=d["note"]
        ),
    ),
    "rect_ledger_contact": (
        NoteForm,
        lambda t, u, d: services.rectification_ledger_contact(rectification_id=_rect_id(t), actor=u, note=d["note"]),
    ),
    "rect_ledger_done": (
        NoteForm,
        lambda t, u, d: services.rectification_ledger_done(rectification_id=_rect_id(t), actor=u, note=d["note"]),
    ),
    "rect_inform": (
        NoteForm,
        lambda t, u, d: services.rectification_inform(rectification_id=_rect_id(t), actor=u, note=d["note"]),
    ),
    "appeal_apply": (
        AppealForm,
        lambda t, u, d: services.appeal_apply(ticket_number=t.number, actor=u, reasons=d["reasons"]),
    ),
    "appeal_opinion": (
        OpinionForm,
        lambda t, u, d: services.appeal_opinion(
            appeal_id=_appeal_id(t), actor=u, supports=d["supports"] == "yes", note=d["note"]
        ),
    ),
    "appeal_decide": (
        AppealDecideForm,
        lambda t, u, d: services.appeal_decide(
            appeal_id=_appeal_id(t), actor=u, upheld=d["upheld"] == "yes", note=d["note"]
        ),
    ),
}
