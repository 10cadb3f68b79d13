from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """What supervisors and heads look at: the statutory rates, rankings, frozen monthly reports and exports."""

    name = "supervision"
    verbose_name = _("Supervision")
