from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from channels.models import ApiClient


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    """Issuing a client shows its key once; only the key's hash is kept."""

    list_display = ("name", "channel", "key_prefix", "is_active", "created_at")
    readonly_fields = ("key_prefix", "created_at")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            key = obj.issue_key()
            messages.warning(
                request, _("The API key of %(name)s (shown only now): %(key)s") % {"name": obj.name, "key": key}
            )
        super().save_model(request, obj, form, change)
