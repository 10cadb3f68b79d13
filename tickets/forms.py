"""One small form per action on the ticket page. Each maps its cleaned data onto the service of the same verb."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from org.models import Area, Department, User
from reviews import services as review_services
from reviews.models import SurveyAttempt, SurveyRound
from tickets import services
from tickets.models import Category, Contact, KnowledgeArticle, Reply, Ticket

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class YesNoField(forms.ChoiceField):
    """A decision with nothing pre-selected: the reviewer must choose yes or no."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=[("", _("— choose —")), *YES_NO], **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (the pattern of Django's documentation)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,.pdf,.docx,.xlsx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def handling_departments() -> Any:
    return Department.objects.filter(is_active=True).exclude(kind__in=["centre", "city"]).order_by("path")


class AreaChoiceField(forms.ModelChoiceField):
    """Areas in tree order, each indented under the one above it (江南区, — 人民街道, — — 东湖社区)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{'— ' * (obj.depth - 1)}{obj.name}"


class NoteForm(forms.Form):
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(forms.Form):
    article = forms.ModelChoiceField(
        KnowledgeArticle.objects.filter(is_active=True), label=_("knowledge article"), required=False
    )
    answer = forms.CharField(label=_("answer given"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DispatchForm(forms.Form):
    department = forms.ModelChoiceField(handling_departments(), label=_("lead department"))
    co_departments = forms.ModelMultipleChoiceField(
        handling_departments(), label=_("co-handling departments"), required=False
    )


class MergeForm(forms.Form):
    main = forms.CharField(label=_("main ticket number"), max_length=14)


class ArbitrateForm(NoteForm):
    accept = YesNoField(label=_("accept the return"))
    department = forms.ModelChoiceField(handling_departments(), label=_("re-dispatch to"), required=False)


class DecideForm(NoteForm):
    approve = YesNoField(label=_("approve"))


class SurveyForm(forms.Form):
    outcome = forms.ChoiceField(label=_("call outcome"), choices=SurveyAttempt.Outcome.choices)
    rating = forms.TypedChoiceField(
        label=_("rating"),
        choices=[("", "—"), *SurveyRound.Rating.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    solved = forms.ChoiceField(label=_("solved"), choices=[("", "—"), *YES_NO], required=False)
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ContactForm(NoteForm):
    channel = forms.ChoiceField(label=_("channel"), choices=Contact.Channel.choices)


class ExtendForm(ReasonForm):
    new_due_date = forms.DateField(label=_("new due date"), widget=forms.DateInput(attrs={"type": "date"}))
    citizen_informed = forms.BooleanField(label=_("the citizen has been told the new date"), required=False)


class ReplyForm(forms.Form):
    outcome = forms.ChoiceField(label=_("outcome"), choices=Reply.Outcome.choices)
    text = forms.CharField(label=_("reply"), widget=forms.Textarea(attrs={"rows": 3}))
    attachments = MultipleFileField(label=_("photos and documents"), required=False)


class CoReplyForm(forms.Form):
    text = forms.CharField(label=_("reply to the lead unit"), widget=forms.Textarea(attrs={"rows": 3}))


class SubDispatchForm(NoteForm):
    department = forms.ModelChoiceField(handling_departments(), label=_("child unit"))

    def narrow(self, ticket: Ticket) -> None:
        """Offer only the units below the lead department."""
        lead = ticket.lead_department
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            handling_departments().filter(path__startswith=lead.path).exclude(pk=lead.pk)
            if lead
            else Department.objects.none()
        )


class UnitReplyForm(forms.Form):
    text = forms.CharField(label=_("findings for the lead unit"), widget=forms.Textarea(attrs={"rows": 3}))
    attachments = MultipleFileField(label=_("photos and documents"), required=False)


class CompleteForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Ticket.Kind.choices)
    urgency = forms.ChoiceField(label=_("urgency"), choices=Ticket.Urgency.choices)
    category = forms.ModelChoiceField(
        Category.objects.filter(is_active=True, depth__gt=1).order_by("path"), label=_("category"), required=False
    )
    area = AreaChoiceField(Area.objects.filter(is_active=True).order_by("path"), label=_("area"), required=False)
    address = forms.CharField(label=_("address"), max_length=300, required=False)

    def narrow(self, ticket: Ticket) -> None:
        """Start from what the ticket says now."""
        self.initial.update(
            kind=ticket.kind,
            urgency=ticket.urgency,
            category=ticket.category_id,
            area=ticket.area_id,
            address=ticket.address,
        )


def _yes(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


Do = Callable[[Ticket, User, dict[str, Any]], object]
ACTIONS: dict[str, tuple[type[forms.Form], Do]] = {
    "take": (forms.Form, lambda t, u, d: services.ticket_take(ticket_id=t.pk, actor=u)),
    "release": (forms.Form, lambda t, u, d: services.ticket_release(ticket_id=t.pk, actor=u)),
    "complete": (
        CompleteForm,
        lambda t, u, d: services.ticket_complete(
            ticket_id=t.pk,
            actor=u,
            kind=d["kind"],
            urgency=d["urgency"],
            category_id=d["category"].pk if d["category"] else None,
            area_id=d["area"].pk if d["area"] else None,
            address=d["address"],
        ),
    ),
    "unit_reply": (
        UnitReplyForm,
        lambda t, u, d: services.ticket_unit_reply(
            ticket_id=t.pk, actor=u, text=d["text"], attachments=d["attachments"]
        ),
    ),
    "answer": (
        AnswerForm,
        lambda t, u, d: services.ticket_answer(
            ticket_id=t.pk, actor=u, answer=d["answer"], article_id=d["article"].pk if d["article"] else None
        ),
    ),
    "dispatch": (
        DispatchForm,
        lambda t, u, d: services.ticket_dispatch(
            ticket_id=t.pk,
            actor=u,
            department_id=d["department"].pk,
            co_department_ids=[c.pk for c in d["co_departments"]],
        ),
    ),
    "merge": (MergeForm, lambda t, u, d: services.ticket_merge(ticket_id=t.pk, actor=u, main_number=d["main"])),
    "arbitrate_return": (
        ArbitrateForm,
        lambda t, u, d: services.ticket_arbitrate_return(
            ticket_id=t.pk,
            actor=u,
            accept=d["accept"] == "yes",
            note=d["note"],
            department_id=d["department"].pk if d["department"] else None,
        ),
    ),
    "approve_reply": (NoteForm, lambda t, u, d: services.ticket_approve_reply(ticket_id=t.pk, actor=u, note=d["note"])),
    "send_back": (ReasonForm, lambda t, u, d: services.ticket_send_back(ticket_id=t.pk, actor=u, reason=d["reason"])),
    "decide_extension": (
        DecideForm,
        lambda t, u, d: services.ticket_decide_extension(
            ticket_id=t.pk, actor=u, approve=d["approve"] == "yes", note=d["note"]
        ),
    ),
    "survey": (
        SurveyForm,
        lambda t, u, d: review_services.ticket_survey(
            ticket_id=t.pk,
            actor=u,
            outcome=d["outcome"],
            rating=d["rating"],
            solved=_yes(d["solved"]),
            comment=d["comment"],
        ),
    ),
    "close": (NoteForm, lambda t, u, d: services.ticket_close(ticket_id=t.pk, actor=u, note=d["note"])),
    "supervise": (ReasonForm, lambda t, u, d: services.ticket_supervise(ticket_id=t.pk, actor=u, reason=d["reason"])),
    "remind": (ReasonForm, lambda t, u, d: services.ticket_remind(ticket_id=t.pk, actor=u, reason=d["reason"])),
    "sign": (forms.Form, lambda t, u, d: services.ticket_sign(ticket_id=t.pk, actor=u)),
    "contact": (
        ContactForm,
        lambda t, u, d: services.ticket_contact(ticket_id=t.pk, actor=u, channel=d["channel"], note=d["note"]),
    ),
    "return": (ReasonForm, lambda t, u, d: services.ticket_return(ticket_id=t.pk, actor=u, reason=d["reason"])),
    "extend": (
        ExtendForm,
        lambda t, u, d: services.ticket_extend(
            ticket_id=t.pk,
            actor=u,
            reason=d["reason"],
            new_due_date=d["new_due_date"],
            citizen_informed=d["citizen_informed"],
        ),
    ),
    "reply": (
        ReplyForm,
        lambda t, u, d: services.ticket_reply(
            ticket_id=t.pk, actor=u, outcome=d["outcome"], text=d["text"], attachments=d["attachments"]
        ),
    ),
    "co_reply": (CoReplyForm, lambda t, u, d: services.ticket_co_reply(ticket_id=t.pk, actor=u, text=d["text"])),
    "sub_dispatch": (
        SubDispatchForm,
        lambda t, u, d: services.ticket_sub_dispatch(
            ticket_id=t.pk, actor=u, department_id=d["department"].pk, note=d["note"]
        ),
    ),
}
