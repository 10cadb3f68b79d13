"""The operator's call in progress, kept on the server once the caller's phone is known (tickets.models.CallDraft).

A draft is the operator's own: another operator's key is refused, and receiving the call deletes the draft in the
receiving transaction (tickets/views/console.py)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hotline.errors import DomainError
from hotline.inputs import CONTENT_MAX, has_nul
from hotline.phones import phone_key
from org.models import User
from tickets import permissions
from tickets.models import CallDraft

FIELD_MAX = CONTENT_MAX
DRAFTS_KEPT = 20  # per operator: the oldest beyond this are dropped


@transaction.atomic
def call_draft_save(*, actor: User, key: str, fields: dict[str, Any]) -> CallDraft | None:
    """Store the form as typed so far under its key; nothing until the phone is known (None then)."""
    permissions.ensure_role(actor, "receive")
    if not key or len(key) > 64 or not key.isascii():
        raise DomainError(_("This form has no valid key. Reload the console."), code="invalid_key")
    phone = str(fields.get("caller_phone", "")).strip()
    if not phone_key(phone):
        return None
    for value in fields.values():
        for text in value if isinstance(value, list) else [value]:
            if not isinstance(text, str) or has_nul(text) or len(text) > FIELD_MAX:
                raise DomainError(_("The text is too long or contains a character that is not allowed."))
    draft = CallDraft.objects.select_for_update().filter(key=key).first()
    if draft is not None and draft.operator_id != actor.pk:
        raise DomainError(_("This form has no valid key. Reload the console."), code="invalid_key")
    if draft is None:
        draft = CallDraft.objects.create(key=key, operator=actor, phone=phone[:20], fields=fields)
    else:
        draft.phone, draft.fields, draft.updated_at = phone[:20], fields, timezone.now()
        draft.save(update_fields=["phone", "fields", "updated_at"])
    stale = CallDraft.objects.filter(operator=actor).order_by("-updated_at").values_list("pk", flat=True)[DRAFTS_KEPT:]
    CallDraft.objects.filter(pk__in=list(stale)).delete()
    return draft


def call_draft_discard(*, actor: User, key: str) -> bool:
    """The operator drops the call in progress (放弃并开始新来电): its copy on the server goes too, or it would be
    offered again among the unfinished calls. Only the operator's own draft; True when one was deleted."""
    permissions.ensure_role(actor, "receive")
    deleted, _rows = CallDraft.objects.filter(operator=actor, key=key).delete()
    return deleted > 0
