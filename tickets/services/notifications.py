"""Delivering the outbox: in-app notifications for the department's people, and an SMS to heads for breaches.

The SMS are written as SmsMessage rows in the batch's transaction; tickets/services/sms.py sends them one by one.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from org.models import Department, User
from tickets.models import Notification, Outbox, SmsMessage

SMS_KINDS = frozenset({Outbox.Kind.BREACH, Outbox.Kind.SUPERVISE})


def _recipients(row: Outbox) -> list[User]:
    """A department's handlers and heads (heads only for a 督办); for the centre, its operators and reviewers."""
    if row.department is None:
        return []
    if row.department.kind == Department.Kind.CENTRE:
        roles = [User.Role.REVIEWER] if row.heads_only else [User.Role.OPERATOR, User.Role.REVIEWER]
    else:
        roles = [User.Role.HEAD] if row.heads_only else [User.Role.HEAD, User.Role.HANDLER]
    return list(User.objects.filter(department=row.department, role__in=roles, is_active=True))


@transaction.atomic
def outbox_deliver(*, batch_size: int = 200) -> int:
    """Deliver up to ``batch_size`` waiting rows, each exactly once (claimed with SKIP LOCKED)."""
    rows = list(
        Outbox.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("department")
        .filter(delivered_at=None)
        .order_by("pk")[:batch_size]
    )
    now = timezone.now()
    for row in rows:
        recipients = _recipients(row)
        Notification.objects.bulk_create(
            [
                Notification(user=u, outbox=row, kind=row.kind, ticket_id=row.ticket_id, text=row.text)
                for u in recipients
            ],
            ignore_conflicts=True,
        )
        if row.kind in SMS_KINDS:
            texts = [
                SmsMessage(key=f"{row.key}:sms:{u.pk}", phone=u.phone, text=row.text, ticket_id=row.ticket_id)
                for u in recipients
                if u.phone
            ]
            SmsMessage.objects.bulk_create(texts, ignore_conflicts=True)
        row.delivered_at = now
    Outbox.objects.bulk_update(rows, ["delivered_at"])
    return len(rows)
