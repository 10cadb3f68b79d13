"""The ticket, its caller, its dispatches and what happens on them. ``status`` is written only by services."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.models import Department
from tickets.models.catalogue import Category
from tickets.models.choices import Kind, Urgency

OPEN_STATUSES = ("received", "dispatched", "returned", "in_progress", "replied", "awaiting_survey", "rectifying")


class DailySequence(models.Model):
    """The last ticket number issued on a day (ticket numbers are YYYYMMDD + a 6-digit daily sequence)."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("daily number sequence")
        verbose_name_plural = _("daily number sequences")

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"


class Caller(models.Model):
    """Personal data: shown masked to anyone who does not hold the ticket, never to departments if confidential."""

    name = models.CharField(_("name"), max_length=100, blank=True)  # found by the search box
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("caller")
        verbose_name_plural = _("callers")
        # Found by the whole name or phone only: no pattern (LIKE) index beside each, which db_index=True adds on
        # PostgreSQL, two more entries to write for each intake (the names are those db_index gave: migration 0033).
        indexes = [
            models.Index(fields=["name"], name="tickets_caller_name_2a32c0ef"),
            models.Index(fields=["phone"], name="tickets_caller_phone_d055a4af"),
        ]

    def __str__(self) -> str:
        return self.name or "-"


class Ticket(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        ANSWERED = "answered", _("Answered directly")
        DISPATCHED = "dispatched", _("Awaiting sign")
        RETURNED = "returned", _("Returned")
        IN_PROGRESS = "in_progress", _("In progress")
        REPLIED = "replied", _("Reply awaiting review")
        AWAITING_SURVEY = "awaiting_survey", _("Awaiting survey")
        RECTIFYING = "rectifying", _("Rectifying")
        CLOSED = "closed", _("Closed")
        MERGED = "merged", _("Merged as a repeat")

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        WEB = "web", _("Web")
        MAILBOX = "mailbox", _("Mayor's mailbox")
        WECHAT = "wechat", _("WeChat")
        APP = "app", _("App")
        OPEN311 = "open311", _("Open311")

    Kind = Kind  # in tickets/models/choices.py: deadline policies choose from them too
    Urgency = Urgency

    number = models.CharField(_("number"), max_length=14, unique=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    urgency = models.CharField(_("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL)
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, null=True)
    area = models.ForeignKey(
        "org.Area", verbose_name=_("area"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    content = models.TextField(_("content"))
    confidential = models.BooleanField(_("confidential"), default=False)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    caller = models.ForeignKey(Caller, verbose_name=_("caller"), on_delete=models.PROTECT, null=True, blank=True)
    lead_department = models.ForeignKey(
        Department, verbose_name=_("lead department"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    merged_into = models.ForeignKey("self", verbose_name=_("merged into"), on_delete=models.PROTECT, null=True)
    answered_article = models.ForeignKey(
        "tickets.KnowledgeArticle",
        verbose_name=_("answered with"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    # Citizen channels: who submitted it, the office a mailbox letter is addressed to, where it is.
    api_client = models.ForeignKey(
        "channels.ApiClient", on_delete=models.PROTECT, null=True, blank=True, related_name="tickets"
    )
    addressed_to = models.ForeignKey(
        Department, verbose_name=_("addressed to"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    media_url = models.URLField(blank=True)
    tracking_code_hash = models.CharField(max_length=64, blank=True)  # the citizen's code, hashed like a password
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True)  # a double submit is one
    # An operator who saved the call for later, or took a citizen's submission from the intake queue.
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("taken by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    # Who must act next, as tickets/owner.py decides it; written by every service in its transaction, never by hand.
    owner_queue = models.CharField(_("queue"), max_length=20, blank=True)
    owner_department = models.ForeignKey(
        Department, verbose_name=_("owner"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    # Indexed by ticket_owner_user, for its rows that have one (the few a person holds): no index of every row's NULL.
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", db_index=False
    )
    owner_due_at = models.DateTimeField(null=True)
    owner_since = models.DateTimeField(null=True)
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # jieba's words of the content and address (tickets/search/words.py), GIN-indexed on PostgreSQL.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        indexes = [
            # Every queue: the owner's open work, soonest due first, in the page's whole order (the id last), so a
            # first page reads 50 entries however long the queue. Finished tickets have no owner and no entry.
            models.Index(
                fields=["owner_department", "owner_queue", "owner_due_at", "owner_since", "id"],
                name="ticket_owner_queue",
                condition=~Q(owner_queue=""),
            ),
            models.Index(fields=["owner_user"], name="ticket_owner_user", condition=Q(owner_user__isnull=False)),
            # Open work by department: the queue and scope queries never touch closed history.
            models.Index(
                fields=["lead_department", "status", "created_at"],
                name="ticket_open_by_department",
                condition=Q(status__in=OPEN_STATUSES),
            ),
            models.Index(fields=["-created_at", "-id"], name="ticket_newest_first"),
            models.Index(fields=["address"], name="ticket_open_by_address", condition=Q(status__in=OPEN_STATUSES)),
            # Repeat detection at intake: open tickets of a category, newest first.
            models.Index(
                fields=["category", "-created_at"],
                name="ticket_open_by_category",
                condition=Q(status__in=OPEN_STATUSES),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        """An update never writes the words back: they belong to the index writers (ticket_index and the dispatch
        trigger, which adds a department while this object is held), and a stale copy would erase them."""
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                f.attname for f in self._meta.concrete_fields if not f.primary_key and f.attname != "search_vector"
            ]
        super().save(*args, **kwargs)

    def get_status_display(self) -> str:  # type: ignore[no-redef]  # the stubs declare Django's generated one
        """The status's label, as Django's own ``get_status_display`` gives it, found by value: Django's hashes every
        choice's lazy label on each call (26 µs, a millisecond for a page of 50 rows, seconds for an export)."""
        try:
            return str(self.Status(self.status).label)
        except ValueError:
            return self.status


class Dispatch(models.Model):
    """A ticket sent to a department: the lead 主办, a co-handler 协办, or a child unit 下派 of the lead."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        CO = "co", _("Co-handling")
        SUB = "sub", _("Sub-dispatched")

    class ReturnState(models.TextChoices):
        NONE = "", _("Not returned")
        PENDING = "pending", _("Return awaiting decision")
        ACCEPTED = "accepted", _("Return accepted")
        REJECTED = "rejected", _("Return rejected")
        CANCELLED = "cancelled", _("Return cancelled")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="dispatches")
    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    active = models.BooleanField(_("active"), default=True)
    dispatched_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dispatched_at = models.DateTimeField(default=timezone.now)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    return_state = models.CharField(max_length=10, choices=ReturnState.choices, default="", blank=True)
    return_reason = models.TextField(blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    reply_text = models.TextField(_("co-handling reply"), blank=True)  # a co-handler's reply or a child's findings

    class Meta:
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"], condition=Q(role="lead", active=True), name="one_active_lead_per_ticket"
            ),
        ]
        indexes = [
            models.Index(fields=["department"], condition=Q(active=True), name="dispatch_active_department"),
            models.Index(
                fields=["department", "dispatched_at"],
                name="dispatch_open_co",
                condition=Q(active=True, role="co", replied_at=None),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} → {self.department_id} ({self.role})"


class Contact(models.Model):
    """A recorded contact with the citizen: "response" means the citizen was contacted."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone call")
        SMS = "sms", _("SMS")
        VISIT = "visit", _("Visit")
        OTHER = "other", _("Other")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="contacts")
    dispatch = models.ForeignKey(Dispatch, on_delete=models.PROTECT, null=True, related_name="contacts")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    contacted_at = models.DateTimeField(_("contacted at"))
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("contact with the citizen")
        verbose_name_plural = _("contacts with the citizen")

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.channel} {self.contacted_at:%Y-%m-%d %H:%M}"


class ExtensionRequest(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="extensions")
    dispatch = models.ForeignKey(Dispatch, on_delete=models.PROTECT, related_name="extensions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(_("reason"))
    new_due_date = models.DateField(_("new due date"))
    citizen_informed = models.BooleanField(_("citizen informed"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.UniqueConstraint(fields=["ticket"], condition=Q(state="pending"), name="one_pending_extension"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} → {self.new_due_date} ({self.state})"


class Reply(models.Model):
    class Outcome(models.TextChoices):
        SOLVED = "solved", _("Solved")
        EXPLAINED = "explained", _("Explained")
        UNSOLVABLE = "unsolvable", _("Cannot be solved")

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        APPROVED = "approved", _("Approved")
        SENT_BACK = "sent_back", _("Sent back")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="replies")
    dispatch = models.ForeignKey(Dispatch, on_delete=models.PROTECT, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    text = models.TextField(_("reply"))
    submitted_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.outcome} ({self.state})"


class TicketEvent(models.Model):
    """Append-only history: one row per change, written in the change's transaction. Never edited or deleted."""

    # Both found through the indexes in Meta, whose first column each is (event_ticket_time; for a deadline, the
    # partial one_event_per_deadline_verb): the largest table of all writes no index of its own for either.
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="events", db_index=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    verb = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True)
    deadline = models.ForeignKey(
        "tickets.Deadline", on_delete=models.PROTECT, null=True, related_name="events", db_index=False
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["ticket", "at"], name="event_ticket_time")]
        constraints = [
            # A deadline is warned once and breached once, however many sweeps run.
            models.UniqueConstraint(
                fields=["deadline", "verb"], condition=Q(deadline__isnull=False), name="one_event_per_deadline_verb"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.verb} {self.at:%Y-%m-%d %H:%M}"


def attachment_path(instance: Attachment, filename: str) -> str:
    """Stored under a random name (the original name is kept, sanitised, for the download only)."""
    import uuid

    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


class Attachment(models.Model):
    """A photo or document on a reply or a rectification report; served only to those who may see the ticket."""

    class Purpose(models.TextChoices):
        REPLY = "reply", _("Reply")
        RECTIFICATION = "rectification", _("Rectification report")
        SUBMISSION = "submission", _("Citizen's submission")
        FINDINGS = "findings", _("Unit findings")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    object_id = models.BigIntegerField()  # the Reply or the Rectification
    file = models.FileField(upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["purpose", "object_id"], name="attachment_owner")]

    def __str__(self) -> str:
        return self.name
