from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from org.models import AuditEntry, CalendarDay, CalendarYear, Department, User
from org.services import calendar_year_confirm, user_save


@admin.register(Department)
class DepartmentAdmin(TreeAdmin):
    form = movenodeform_factory(Department)
    list_display = ("name", "code", "kind", "is_active")
    search_fields = ("name", "code")
    list_filter = ("kind", "is_active")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "role", "department", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name")
    ordering = ("username",)
    autocomplete_fields = ("department",)
    filter_horizontal = ("groups", "user_permissions")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "email", "phone")}),
        (_("Role and scope"), {"fields": ("role", "department", "is_active", "is_superuser")}),
        (_("Extra permissions"), {"fields": ("groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"fields": ("username", "full_name", "role", "department", "password1", "password2")}),)
    readonly_fields = ("last_login", "date_joined")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        user_save(user=obj, actor=request.user)  # type: ignore[arg-type]


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 1
    fields = ("date", "kind", "name")


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "confirmed", "confirmed_at", "confirmed_by", "source")
    readonly_fields = ("confirmed", "confirmed_at", "confirmed_by", "source")
    inlines = [CalendarDayInline]
    actions = ["confirm_years"]

    @admin.action(description=_("Confirm the selected years as the official schedule"))
    def confirm_years(self, request: HttpRequest, queryset: QuerySet[CalendarYear]) -> None:
        for row in queryset:
            calendar_year_confirm(year=row.year, actor=request.user)  # type: ignore[arg-type]
        self.message_user(request, _("%(count)d year(s) confirmed.") % {"count": queryset.count()}, messages.SUCCESS)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log is append-only: nobody, admin included, adds, edits or deletes rows here."""

    list_display = ("at", "actor", "action", "target")
    list_filter = ("action",)
    search_fields = ("target",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
