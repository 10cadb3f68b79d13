"""What requests are about (categories) and how long departments have for them (deadline policies)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from org.models import Department
from tickets.models.choices import Kind, Urgency


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

    # Choices, as a ticket's: a policy typed as free text (投诉 for complaint) would never match a ticket.
    kind = models.CharField(
        _("request kind"), max_length=20, blank=True, choices=Kind.choices, help_text=_("Blank: any kind.")
    )
    urgency = models.CharField(
        _("urgency"), max_length=20, blank=True, choices=Urgency.choices, help_text=_("Blank: any urgency.")
    )
    response_days = models.PositiveSmallIntegerField(_("response (working days)"), default=1)
    reply_days = models.PositiveSmallIntegerField(_("reply (working days)"), default=5)
    survey_days = models.PositiveSmallIntegerField(_("survey (working days)"), default=2)
    intake_days = models.PositiveSmallIntegerField(_("intake (working days)"), default=1)

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        constraints = [
            models.UniqueConstraint(fields=["kind", "urgency"], name="one_policy_per_kind_and_urgency"),
            models.CheckConstraint(
                condition=Q(response_days__gte=1)
                & Q(reply_days__gte=1)
                & Q(survey_days__gte=1)
                & Q(intake_days__gte=1),
                name="policy_periods_positive",
                violation_error_message=_("Every period must be at least one working day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind or '*'}/{self.urgency or '*'}: {self.response_days}/{self.reply_days}/{self.survey_days}"


class KnowledgeArticle(models.Model):
    """知识库: what the operator can answer on the call."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("answer"))
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, null=True, blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge base")

    def __str__(self) -> str:
        return self.title


class RoutingRule(models.Model):
    """派单目录: category × area → the lead department (and co-handling departments) the console proposes."""

    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.CASCADE)
    area = models.ForeignKey(
        "org.Area",
        verbose_name=_("area"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: any area."),
    )
    lead = models.ForeignKey(Department, verbose_name=_("lead department"), on_delete=models.PROTECT, related_name="+")
    co_departments = models.ManyToManyField(
        Department, verbose_name=_("co-handling departments"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [models.UniqueConstraint(fields=["category", "area"], name="one_rule_per_category_and_area")]

    def __str__(self) -> str:
        return f"{self.category} / {self.area or '*'} → {self.lead}"
