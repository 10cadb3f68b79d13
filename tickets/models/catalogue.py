"""What requests are about (categories) and how long departments have for them (deadline policies)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node


class Category(MP_Node):
    """What a request is about, as a tree: 城市管理 › 占道经营."""

    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class DeadlinePolicy(models.Model):
    """Working days per clock for a request kind and urgency; blank kind or urgency means "any"."""

    kind = models.CharField(_("request kind"), max_length=20, blank=True)
    urgency = models.CharField(_("urgency"), max_length=20, blank=True)
    response_days = models.PositiveSmallIntegerField(_("response (working days)"), default=1)
    reply_days = models.PositiveSmallIntegerField(_("reply (working days)"), default=5)
    survey_days = models.PositiveSmallIntegerField(_("survey (working days)"), default=2)

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        constraints = [
            models.UniqueConstraint(fields=["kind", "urgency"], name="one_policy_per_kind_and_urgency"),
            models.CheckConstraint(
                condition=Q(response_days__gte=1) & Q(reply_days__gte=1) & Q(survey_days__gte=1),
                name="policy_periods_positive",
                violation_error_message=_("Every period must be at least one working day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind or '*'}/{self.urgency or '*'}: {self.response_days}/{self.reply_days}/{self.survey_days}"
