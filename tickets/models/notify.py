"""The notification outbox (written in the change's transaction) and the in-app notifications it delivers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.models import Department


class Outbox(models.Model):
    """A notification to deliver. Rows are written with the change; a task delivers them, each exactly once."""

    class Kind(models.TextChoices):
        NEW_TICKET = "new_ticket", _("New ticket")
        WARNING = "warning", _("Deadline warning")
        BREACH = "breach", _("Deadline breached")
        SUPERVISE = "supervise", _("Supervision notice")
        REMIND = "remind", _("Reminder")
        SENT_BACK = "sent_back", _("Sent back for rework")
        EXTENSION_DECIDED = "extension_decided", _("Extension decided")
        RETURN_DECIDED = "return_decided", _("Return decided")
        CO_REPLY = "co_reply", _("Co-handling reply")
        BAD_REVIEW = "bad_review", _("Bad review")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    # One notification per cause, whatever retries happen. Looked up whole only: the pattern (LIKE) index that
    # unique=True adds beside it on PostgreSQL is dropped (migration 0035).
    key = models.CharField(max_length=120, unique=True)
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, related_name="+")
    heads_only = models.BooleanField(default=False)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [models.Index(fields=["id"], name="outbox_undelivered", condition=Q(delivered_at=None))]

    def __str__(self) -> str:
        return self.key


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    outbox = models.ForeignKey(Outbox, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Outbox.Kind.choices)
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["outbox", "user"], name="one_notification_per_user")]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_inbox"),
            # The badge: the first 100 unread, and the unread 督办 counted apart (tickets.views.inbox.unread_count).
            models.Index(fields=["user", "kind"], name="notification_unread_kind", condition=Q(read_at=None)),
        ]

    def __str__(self) -> str:
        return self.text


class SmsMessage(models.Model):
    """One text message to one phone, written in the business transaction and sent later, one row at a time.

    ``key`` is the idempotency key given to the gateway: a row re-sent after a crash between the gateway's answer and
    the commit is the same message to the gateway. A row that keeps failing is parked as failed after
    settings.SMS_MAX_ATTEMPTS and waits for an administrator to resend it.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    key = models.CharField(_("idempotency key"), max_length=120, unique=True)
    phone = models.CharField(_("phone"), max_length=20)
    text = models.TextField(_("text"))
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")
        indexes = [models.Index(fields=["next_attempt_at"], name="sms_due", condition=Q(state="pending"))]

    def __str__(self) -> str:
        return self.key
