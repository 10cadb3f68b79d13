from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    """Callback surveys, bad-review rectification and appeals (好差评). Filled by the surveys issue."""

    name = "reviews"
    verbose_name = _("Surveys and reviews")
