"""Open clocks counted by department, kind and day, kept up to date by the database (tickets/clock_counts.py)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadlineCountDelta(models.Model):
    """A change of ``delta`` open clocks of a kind and department due on ``due_day`` and warning on ``warn_day``
    (Beijing dates), written by the triggers on tickets_deadline in the transaction that changes the clocks. Never
    updated; deleted only when folded into ``DeadlineCount`` in the same transaction."""

    unit = models.BigIntegerField(_("department id"))  # 0: no department (the centre's intake and survey clocks)
    kind = models.CharField(_("clock"), max_length=20)
    due_day = models.DateField(_("due day"))
    warn_day = models.DateField(_("warning day"))
    delta = models.IntegerField(_("change"))

    class Meta:
        verbose_name = _("open clock count change")
        verbose_name_plural = _("open clock count changes")

    def __str__(self) -> str:
        return f"{self.unit}:{self.kind} due {self.due_day} warn {self.warn_day} {self.delta:+d}"


class DeadlineCount(models.Model):
    """How many open clocks of a kind and department are due (axis "due") or warn (axis "warn") on ``day``. A
    ``merged`` cell also holds every earlier day's clocks (days older than the dashboard ever asks about)."""

    class Axis(models.TextChoices):
        DUE = "due", _("Due")
        WARN = "warn", _("Warning")

    unit = models.BigIntegerField(_("department id"))
    kind = models.CharField(_("clock"), max_length=20)
    axis = models.CharField(_("axis"), max_length=4, choices=Axis.choices)
    day = models.DateField(_("day"))
    clocks = models.IntegerField(_("open clocks"))
    merged = models.BooleanField(_("includes earlier days"), default=False)

    class Meta:
        verbose_name = _("open clock count")
        verbose_name_plural = _("open clock counts")
        constraints = [models.UniqueConstraint(fields=["unit", "kind", "axis", "day"], name="one_count_per_cell")]

    def __str__(self) -> str:
        return f"{self.unit}:{self.kind} {self.axis} {self.day}{'-' if self.merged else ''}: {self.clocks}"


class QueueCountDelta(models.Model):
    """A change of ``delta`` tickets in a queue of an owner (department ``unit``, or user ``person``; 0 for none),
    written by the triggers on tickets_ticket in the transaction that changes a ticket's owner columns. Never updated;
    deleted only when folded into ``QueueCount`` in the same transaction (tickets/queue_counts.py)."""

    queue = models.CharField(_("queue"), max_length=20)
    unit = models.BigIntegerField(_("department id"))
    person = models.BigIntegerField(_("user id"))
    delta = models.IntegerField(_("change"))

    class Meta:
        verbose_name = _("queue count change")
        verbose_name_plural = _("queue count changes")

    def __str__(self) -> str:
        return f"{self.queue} {self.unit}/{self.person} {self.delta:+d}"


class QueueCount(models.Model):
    """How many tickets are in a queue of an owner (department ``unit``, user ``person``; 0 for none)."""

    queue = models.CharField(_("queue"), max_length=20)
    unit = models.BigIntegerField(_("department id"))
    person = models.BigIntegerField(_("user id"))
    tickets = models.IntegerField(_("tickets"))

    class Meta:
        verbose_name = _("queue count")
        verbose_name_plural = _("queue counts")
        constraints = [models.UniqueConstraint(fields=["queue", "unit", "person"], name="one_count_per_queue")]

    def __str__(self) -> str:
        return f"{self.queue} {self.unit}/{self.person}: {self.tickets}"
