"""The figures supervision publishes and ranks: frozen monthly reports and the monthly rollup cache.

Both tables were created by the reviews app and keep their names (the reports' append-only triggers and the
application role's grants name them); the models moved here with the pages that read them (migrations reviews 0012
and supervision 0001 move them without touching the database)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.models import Department


class MonthlyReport(models.Model):
    """A month's published figures per department (不可更改), computed as of ``as_of``, signed with an HMAC key kept
    outside the database and chained to the previous month's digest (supervision/reports.py).

    Rows are never updated (a database trigger refuses it); `manage.py verify_reports` recomputes every month as of its
    ``as_of``, checks each signature and that no month is missing, so a changed number or a deleted month is detected.
    """

    month = models.DateField(_("month"), unique=True)  # the first day of the month
    as_of = models.DateTimeField(_("as of"), null=True)  # null only on reports frozen before signing (never valid)
    figures = models.JSONField(_("figures"))
    # Earlier months whose figures changed since the previous report (an appeal upheld after their freeze).
    corrections = models.JSONField(_("corrections"), default=dict)
    key_id = models.CharField(max_length=16, blank=True)
    previous_digest = models.CharField(max_length=64, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["month"]
        db_table = "reviews_monthlyreport"  # kept from when reviews/ owned it: its append-only triggers and grants

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class MonthlyRollup(models.Model):
    """A department's rate for a month as numerator and denominator: what rankings and charts read.

    Kept current by a Celery task (this month and last), rebuilt by `manage.py rollup_rebuild`, so no page counts over
    the whole history.
    """

    month = models.DateField()
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    rate = models.CharField(max_length=40)
    numerator = models.PositiveIntegerField()
    denominator = models.PositiveIntegerField()
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("monthly rollup")
        verbose_name_plural = _("monthly rollups")
        db_table = "reviews_monthlyrollup"
        constraints = [models.UniqueConstraint(fields=["month", "department", "rate"], name="one_rollup_row")]
        indexes = [models.Index(fields=["month", "rate"], name="rollup_month_rate")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.department_id} {self.rate}"

    @property
    def value(self) -> float | None:
        return round(self.numerator / self.denominator, 4) if self.denominator else None
