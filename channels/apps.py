from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    """Citizen channels: Open311 GeoReport v2, the public web form and mayor's mailbox, tracking, API clients."""

    name = "channels"
    verbose_name = _("Citizen channels")
