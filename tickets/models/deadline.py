"""Deadlines are rows; a sweep marks them warned and breached. Overdue is always computable from the rows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from org.models import Department


class Deadline(models.Model):
    class Kind(models.TextChoices):
        RESPONSE = "response", _("Response")
        REPLY = "reply", _("Reply")
        SURVEY = "survey", _("Survey")
        INTAKE = "intake", pgettext_lazy("clock", "Intake")
        RECTIFICATION_RESPONSE = "rect_response", _("Rectification response")
        RECTIFICATION_REPLY = "rect_reply", _("Rectification report")
        LEDGER = "ledger", _("Rectification ledger entry")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        MET = "met", _("Met")
        SUPERSEDED = "superseded", _("Superseded")  # re-dispatch, send-back or an approved extension replaced it
        PAUSED = "paused", _("Paused")  # a return waits for the centre; resumed with the working time it had left
        ENDED = "ended", _("Ended")  # its duty ended (the ticket finished, a re-dispatch): never met, never breached

    # Found by deadline_ticket_kind (ticket, kind), whose first column serves every lookup by ticket: an index of the
    # ticket alone would be one more entry to write for each clock, 3 an intake, and ~480 MB at 29 million clocks.
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="deadlines", db_index=False)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, related_name="+")
    kind = models.CharField(_("clock"), max_length=20, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.OPEN)
    started_at = models.DateTimeField(_("started at"))
    due_at = models.DateTimeField(_("due at"))
    warn_at = models.DateTimeField(_("warning at"))
    provisional = models.BooleanField(_("provisional"), default=False)
    warned_at = models.DateTimeField(_("warned at"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached at"), null=True, blank=True)
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    # The period in working days (None for a clock that ends on a fixed date), plus the working days a paused clock
    # was given back on resuming: enough to recompute ``due_at`` when the calendar changes.
    working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    extra_working_days = models.PositiveSmallIntegerField(default=0)
    cause = models.CharField(max_length=20, blank=True)  # what started it: "send_back" marks a rework clock
    # A survey clock's rated department and the time its rating was found untrue (不属实): copies of its round's,
    # written when the round opens and when an appeal is upheld (reviews/services), so that 回访率 counts the period's
    # survey clocks from one index alone instead of looking up each clock's round.
    rated_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    untrue_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        indexes = [
            # What the sweep looks for. Only open, unswept rows are in these indexes: closed history costs nothing.
            models.Index(fields=["due_at"], name="deadline_to_breach", condition=Q(state="open", breached_at=None)),
            models.Index(
                fields=["warn_at"], name="deadline_to_warn", condition=Q(state="open", warned_at=None, breached_at=None)
            ),
            models.Index(fields=["ticket", "kind"], name="deadline_ticket_kind"),
            # A department's queue: its open clocks of one kind, soonest first (never reads closed history).
            models.Index(
                fields=["department", "kind", "due_at"], name="deadline_open_queue", condition=Q(state="open")
            ),
            models.Index(fields=["breached_at"], name="deadline_breached", condition=Q(breached_at__isnull=False)),
            # The supervisors' dashboard: open clocks by due time (what is red or turns red within a working day).
            models.Index(fields=["due_at", "kind", "department"], name="deadline_open_due", condition=Q(state="open")),
            # Every department's rates for a period: the clocks of one kind due in it, with what the count needs.
            models.Index(
                fields=["kind", "due_at"],
                include=["department", "met_at", "ended_at", "superseded_at", "paused_at"],
                name="deadline_due_for_rates",
            ),
            # Every department's 回访率 for a period: the survey clocks due in it, with what the count needs.
            models.Index(
                fields=["due_at"],
                include=["rated_department", "ticket", "met_at", "superseded_at", "untrue_at"],
                name="deadline_survey_for_rates",
                condition=Q(kind="survey"),
            ),
            # The dashboard's counts: open clocks past their warning time (red and yellow, tickets.lights), by kind and
            # department, answered from the index alone.
            models.Index(
                fields=["warn_at", "due_at", "kind", "department"], name="deadline_open_warn", condition=Q(state="open")
            ),
            # Open clocks that warn only after they are due (a fixed last day before the clock started): normally
            # none. The maintained counts (tickets/clock_counts.py) correct for them exactly from this index.
            models.Index(
                fields=["due_at"],
                include=["warn_at", "kind", "department"],  # answered from the index alone: the planner prefers it
                name="deadline_open_warns_late",
                condition=Q(state="open", warn_at__gt=F("due_at")),
            ),
            models.Index(
                fields=["department", "due_at"],
                name="deadline_open_rework",
                condition=Q(state="open", kind="reply", cause="send_back"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "kind"], condition=Q(state__in=["open", "paused"]), name="one_live_deadline_per_clock"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}:{self.kind} due {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def is_overdue(self) -> bool:
        return self.breached_at is not None or (self.state == self.State.OPEN and self.due_at <= timezone.now())

    @property
    def met_on_time(self) -> bool:
        return self.met_at is not None and self.met_at <= self.due_at


class SupervisionNotice(models.Model):
    """督办 (supervision) or 催办 (reminder) to a department; breaches raise one automatically."""

    class Kind(models.TextChoices):
        SUPERVISE = "supervise", _("Supervision notice")
        REMIND = "remind", _("Reminder")

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="notices")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    reason = models.TextField(_("reason"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deadline = models.ForeignKey(Deadline, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")
        # The dashboard's latest notices (tickets.selectors.notice_list): the newest few, not a sort of every notice.
        indexes = [models.Index(fields=["-issued_at"], name="notice_newest_first")]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline"], condition=Q(deadline__isnull=False), name="one_notice_per_breach"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.ticket_id}"
