"""A call in progress, kept on the server once the caller's phone is known, so that nothing typed is lost."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CallDraft(models.Model):
    """The console form of one call as last typed (``key`` is the form's idempotency key, the ticket's
    ``submission_key`` once it is received; receiving the call deletes its draft in the same transaction)."""

    key = models.CharField(max_length=64, unique=True)
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    phone = models.CharField(_("phone"), max_length=20)
    fields = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("call draft")
        verbose_name_plural = _("call drafts")
        indexes = [models.Index(fields=["operator", "-updated_at"], name="draft_by_operator")]

    def __str__(self) -> str:
        return f"{self.operator_id} {self.phone} {self.updated_at:%Y-%m-%d %H:%M}"
