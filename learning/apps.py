from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    """What the centre learns from its history: imported tickets, suggested category and department, hot spots."""

    name = "learning"
    verbose_name = _("Learning from history")
