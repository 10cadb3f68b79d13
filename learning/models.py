"""What the centre learnt: versions of the suggestion model, what the operator picked beside its suggestions, and
hot spots (groups of tickets about one problem at one place)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.models import Department
from tickets.models import Category, Ticket


class SuggestionModel(models.Model):
    """One trained model: its file in the default storage, how many tickets it learnt from and its held-out scores."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    file = models.CharField(max_length=200)
    trained_at = models.DateTimeField(_("trained at"), default=timezone.now)
    category_size = models.PositiveIntegerField(_("tickets learnt for categories"), default=0)
    department_size = models.PositiveIntegerField(_("tickets learnt for departments"), default=0)
    scores = models.JSONField(_("held-out scores"), default=dict)
    train_seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = _("suggestion model")
        verbose_name_plural = _("suggestion models")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version} ({self.trained_at:%Y-%m-%d})"


class SuggestionPick(models.Model):
    """What the model suggested for a ticket at intake and what the operator finally chose (never replaced by it)."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="suggestion_pick")
    model_version = models.PositiveIntegerField()
    categories = models.JSONField(default=list)  # [[category id, probability], …] likeliest first
    departments = models.JSONField(default=list)
    chosen_category = models.ForeignKey(Category, on_delete=models.SET_NULL, null=True, related_name="+")
    chosen_department = models.ForeignKey(Department, on_delete=models.SET_NULL, null=True, related_name="+")
    category_accepted = models.BooleanField(null=True)  # the operator's pick was the model's first suggestion
    department_accepted = models.BooleanField(null=True)
    at = models.DateTimeField(default=timezone.now)
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("suggestion pick")
        verbose_name_plural = _("suggestion picks")
        indexes = [models.Index(fields=["at"], name="suggestion_pick_time")]

    def __str__(self) -> str:
        return f"{self.ticket_id} v{self.model_version}"


class ImportedRecord(models.Model):
    """A ticket brought from the centre's old system: its id there, and what the old system knew of its end."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="imported")
    external_id = models.CharField(_("external id"), max_length=64, unique=True)
    reply_text = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=200, blank=True)  # the file's name

    class Meta:
        verbose_name = _("imported record")
        verbose_name_plural = _("imported records")

    def __str__(self) -> str:
        return self.external_id


class Hotspot(models.Model):
    """热点: tickets about one problem at one place within the sliding window, refreshed by beat. A group keeps its
    row (and so its notification) from one refresh to the next as long as it shares tickets with what it was."""

    label = models.CharField(_("label"), max_length=200)
    places = models.JSONField(default=list)
    words = models.JSONField(default=list)
    tickets = models.ManyToManyField(Ticket, related_name="hotspots")
    size = models.PositiveIntegerField(_("tickets"), default=0)
    callers = models.PositiveIntegerField(_("callers"), default=0)
    growth = models.IntegerField(_("growth"), default=0)  # tickets in the last 7 days minus the 7 days before
    daily = models.JSONField(default=list)  # tickets per day over the window, oldest first (the sparkline)
    first_at = models.DateTimeField(null=True)
    last_at = models.DateTimeField(null=True)
    active = models.BooleanField(default=True)
    refreshed_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)  # supervisors told once, when it crossed the threshold

    class Meta:
        verbose_name = _("hot spot")
        verbose_name_plural = _("hot spots")
        indexes = [models.Index(fields=["-size"], name="hotspot_active_size", condition=models.Q(active=True))]

    def __str__(self) -> str:
        return self.label
