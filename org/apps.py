from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "org"
    verbose_name = _("Organisation, people and calendar")

    def ready(self) -> None:
        from django.core.checks import register

        from hotline.checks import production_check

        register(production_check)  # production's secret key, hosts and SMS gateway (the project's first app)
