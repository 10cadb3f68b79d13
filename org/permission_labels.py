"""Permissions in the admin's pickers in the user's language: "工单 | 可以新增 诉求分类" instead of the English names
Django stores ("tickets | category | Can add category")."""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.contrib.auth.models import Permission
from django.utils.translation import gettext

ACTIONS = {"add": "Can add %(model)s", "change": "Can change %(model)s", "delete": "Can delete %(model)s"}
ACTIONS["view"] = "Can view %(model)s"


def permission_label(permission: Permission) -> str:
    content_type = permission.content_type
    model = content_type.model_class()
    action = permission.codename.split("_", 1)[0]
    if model is None or action not in ACTIONS:
        return str(permission)
    app = apps.get_app_config(content_type.app_label).verbose_name
    return f"{app} | {gettext(ACTIONS[action]) % {'model': model._meta.verbose_name}}"


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return permission_label(obj)


def permission_field(db_field: Any, formfield: Any) -> Any:
    """The admin's permissions field, with translated labels (the same queryset, widget and help)."""
    if formfield is None or db_field.name not in ("permissions", "user_permissions"):
        return formfield
    return PermissionChoiceField(
        queryset=formfield.queryset.select_related("content_type"),
        required=formfield.required,
        widget=formfield.widget,
        label=formfield.label,
        help_text=formfield.help_text,
    )
