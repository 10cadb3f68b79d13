from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """What supervisors and heads look at: the statutory rates, rankings, frozen monthly reports and exports."""

    name = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from django.core.checks import register

        from supervision.checks import signing_key_check

        register(signing_key_check)
