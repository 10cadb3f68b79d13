"""Survey rounds (回访), bad-review rectifications (差评整改), appeals (复核) and fraud flags."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.models import Department
from tickets.models import Deadline, Ticket

BAD_RATINGS = (1, 2)


class SurveyRound(models.Model):
    """One round of asking the citizen. A bad review opens a rectification; the ticket is then surveyed again."""

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for the survey")
        ANSWERED = "answered", _("Answered")
        UNREACHABLE = "unreachable", _("Unreachable")
        CANCELLED = "cancelled", _("Cancelled")

    class Channel(models.TextChoices):
        PHONE = "phone", _("Operator callback")
        SMS = "sms", _("SMS link")
        IVR = "ivr", _("IVR keypad")

    class Rating(models.IntegerChoices):
        VERY_SATISFIED = 5, _("Very satisfied")
        SATISFIED = 4, _("Satisfied")
        BASICALLY_SATISFIED = 3, _("Basically satisfied")
        DISSATISFIED = 2, _("Dissatisfied")
        VERY_DISSATISFIED = 1, _("Very dissatisfied")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="survey_rounds")
    number = models.PositiveSmallIntegerField(_("round"))
    department = models.ForeignKey(
        Department, verbose_name=_("rated department"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.OPEN)
    opened_at = models.DateTimeField(default=timezone.now)
    deadline = models.ForeignKey(Deadline, on_delete=models.PROTECT, null=True, related_name="+", db_index=False)
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), choices=Rating.choices, null=True, blank=True)
    solved = models.BooleanField(_("solved"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_ip = models.GenericIPAddressField(null=True, blank=True)
    evaluator_phone = models.CharField(max_length=20, blank=True)  # confidential: only the centre ever reads it
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    token_expires_at = models.DateTimeField(null=True, blank=True)
    untrue = models.BooleanField(_("untrue (appeal upheld)"), default=False)
    untrue_at = models.DateTimeField(null=True, blank=True)  # when the appeal was upheld: the rates read it as of
    # Copies for 实名差评回访率, so that the month's bad reviews are counted from one index alone: the ticket's
    # anonymity (set at intake, never changed) and the time of its rectification's verification call (回访核实).
    anonymous = models.BooleanField(default=False)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        constraints = [
            models.UniqueConstraint(fields=["ticket", "number"], name="one_round_number_per_ticket"),
            models.UniqueConstraint(fields=["ticket"], condition=Q(state="open"), name="one_open_round_per_ticket"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="rating_one_to_five"
            ),
        ]
        indexes = [
            models.Index(fields=["department", "answered_at"], name="round_answered_by_department"),
            models.Index(fields=["evaluator_phone", "answered_at"], name="round_by_evaluator"),
            # The month's answers for every department's rates at once: one range scan, grouped by department.
            models.Index(
                fields=["answered_at"],
                include=["department", "rating", "solved", "untrue_at"],
                name="round_answered_for_rates",
                condition=Q(state="answered"),
            ),
            # The month's real-name bad reviews and their verification calls, for 实名差评回访率.
            models.Index(
                fields=["answered_at"],
                include=["department", "untrue_at", "verified_at"],
                name="round_bad_for_rates",
                condition=Q(state="answered", rating__lte=2, anonymous=False),
            ),
            # From a survey clock to its round, with what the survey rate counts (index-only from the month's clocks).
            models.Index(fields=["deadline"], include=["department", "ticket", "untrue_at"], name="round_by_deadline"),
            # The shared-IP check: one link-answering address in one day.
            models.Index(
                fields=["answer_ip", "answered_at"], name="round_by_answer_ip", condition=Q(answer_ip__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}#{self.number}"

    @property
    def is_bad(self) -> bool:
        return self.rating in BAD_RATINGS


class SurveyAttempt(models.Model):
    class Outcome(models.TextChoices):
        ANSWERED = "answered", _("Answered")
        NO_ANSWER = "no_answer", _("No answer")
        REFUSED = "refused", _("Refused")

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="attempts")
    at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    channel = models.CharField(max_length=5, choices=SurveyRound.Channel.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("survey attempt")
        verbose_name_plural = _("survey attempts")

    def __str__(self) -> str:
        return f"{self.round_id} {self.outcome}"


class Rectification(models.Model):
    """差评整改 for the department that handled the ticket ("谁办理、谁负责")."""

    class State(models.TextChoices):
        OPEN = "open", _("Awaiting verification call")
        VERIFIED = "verified", _("Verified, report due")
        AWAITING_APPROVAL = "awaiting_approval", _("Invalid review awaiting the centre")
        REPORTED = "reported", _("Reported, citizen to be told")
        DONE = "done", _("Citizen told")
        ENDED = "ended", _("Ended: review found untrue")

    class ReportType(models.TextChoices):
        IMMEDIATE = "immediate", _("Fixed at once")
        LEDGER = "ledger", _("Fix with a ledger entry and a deadline")
        EXPLAINED = "explained", _("Explained, no legal basis")
        INVALID = "invalid", _("Invalid review")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="rectifications")
    round = models.OneToOneField(SurveyRound, on_delete=models.PROTECT, related_name="rectification")
    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    opened_at = models.DateTimeField(default=timezone.now)
    verified_at = models.DateTimeField(null=True, blank=True)
    verification_note = models.TextField(blank=True)
    report_type = models.CharField(_("report type"), max_length=10, choices=ReportType.choices, blank=True)
    report_text = models.TextField(_("report"), blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    report_due_at = models.DateTimeField(null=True, blank=True)  # the report clock's due time, for the rates
    ledger_due_date = models.DateField(_("ledger deadline"), null=True, blank=True)
    ledger_done_at = models.DateTimeField(null=True, blank=True)
    invalid_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    informed_at = models.DateTimeField(null=True, blank=True)
    informed_note = models.TextField(blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # When its review was found untrue: a copy of the round's, written by the upheld appeal, for the rates.
    untrue_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        indexes = [
            models.Index(fields=["department", "state"], name="rectification_by_department"),
            # The workbench's ledger queue (台账 due within a week): open ledgers only, not the department's history.
            models.Index(
                fields=["department", "ledger_due_date"],
                name="rectification_open_ledgers",
                condition=Q(report_type="ledger", ledger_done_at__isnull=True),
            ),
            # The month's report clocks for every department's 差评整改率 at once.
            models.Index(
                fields=["report_due_at"],
                include=["department", "reported_at", "report_type", "untrue_at"],
                name="rectification_due_for_rates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.state}"


class Appeal(models.Model):
    """复核: the handler applies, the department head gives a first opinion, the centre decides."""

    class State(models.TextChoices):
        AWAITING_HEAD = "awaiting_head", _("Awaiting the department head")
        AWAITING_CENTRE = "awaiting_centre", _("Awaiting the centre")
        UPHELD = "upheld", _("Upheld: review untrue")
        REJECTED = "rejected", _("Rejected")

    round = models.ForeignKey(SurveyRound, on_delete=models.PROTECT, related_name="appeals")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="appeals")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.AWAITING_HEAD)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reasons = models.TextField(_("reasons"))
    applied_at = models.DateTimeField(default=timezone.now)
    head = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    head_supports = models.BooleanField(null=True)
    head_note = models.TextField(blank=True)
    head_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    decision_note = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [
            models.UniqueConstraint(
                fields=["round"], condition=Q(state__in=["awaiting_head", "awaiting_centre"]), name="one_open_appeal"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round_id} {self.state}"


class FraudFlag(models.Model):
    """A suspicious pattern for the centre to look at. A flag never changes a rating by itself."""

    class Kind(models.TextChoices):
        PHONE_VOLUME = "phone_volume", _("One number rated many tickets in a day")
        BURST = "burst", _("A burst of identical ratings on one department")
        SELF_RATING = "self_rating", _("Rating entered by a user of the rated department")
        SHARED_IP = "shared_ip", _("Survey links answered from one IP address")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="flags")
    detail = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("fraud flag")
        verbose_name_plural = _("fraud flags")
        constraints = [models.UniqueConstraint(fields=["round", "kind"], name="one_flag_per_round_and_kind")]

    def __str__(self) -> str:
        return f"{self.kind} {self.round_id}"


class IvrNonce(models.Model):
    """Signatures already used by the IVR webhook: a replay is refused."""

    signature = models.CharField(max_length=64, unique=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("IVR nonce")
        verbose_name_plural = _("IVR nonces")

    def __str__(self) -> str:
        return self.signature[:12]
