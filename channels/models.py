"""API clients of partner systems (Open311 apps, WeChat, city apps): their own key and scope."""

from __future__ import annotations

import hashlib
import secrets

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
