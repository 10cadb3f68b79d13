"""API clients of partner systems (Open311 apps, WeChat, city apps): their own key and scope."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiClient(models.Model):
    """A partner system. Only the SHA-256 of its key is stored; the key is shown once, when it is issued."""

    class Channel(models.TextChoices):
        OPEN311 = "open311", _("Open311")
        WECHAT = "wechat", _("WeChat")
        APP = "app", _("App")

    name = models.CharField(_("name"), max_length=100)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    key_prefix = models.CharField(_("key starts with"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    def issue_key(self) -> str:
        """Set a new random key and return it (to be shown once to the admin)."""
        key = secrets.token_urlsafe(32)
        self.key_prefix, self.key_hash = key[:8], key_hash(key)
        return key


class Publication(models.Model):
    """What the public may see of a ticket (channels/publication.py): the citizen's consent, the reviewer's mark and
    the public text the reviewer approved (never the reply written to the citizen)."""

    ticket = models.OneToOneField(
        "tickets.Ticket", on_delete=models.CASCADE, primary_key=True, related_name="publication"
    )
    consent = models.BooleanField(_("the citizen agreed to publication"), default=False)
    public = models.BooleanField(_("marked public by a reviewer"), default=False)
    public_text = models.TextField(_("public reply text"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return f"{self.ticket_id}: {'public' if self.public else 'consent' if self.consent else 'private'}"
