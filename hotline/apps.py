"""App configurations that give third-party apps a translatable name in the admin."""

from __future__ import annotations

from axes.apps import AppConfig as BaseAxesConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(BaseAxesConfig):
    """django-axes (login lock-out) under a Chinese name in the admin; everything else is the library's own."""

    verbose_name = _("Login attempts")
