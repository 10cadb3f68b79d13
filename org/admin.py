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
from org.permissions import request_user
from org.services import user_save


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
        from tickets.services.calendar import calendar_confirm

        actor = request_user(request)
        changed = sum(calendar_confirm(year=row.year, actor=actor) for row in queryset)
        self.message_user(
            request,
            _("%(count)d year(s) confirmed; %(clocks)d open deadline(s) recomputed.")
            % {"count": queryset.count(), "clocks": changed},
            messages.SUCCESS,
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Every added, edited or deleted day is audited and recomputes the open clocks of the year."""
        from tickets.services.calendar import calendar_days_changed

        super().save_related(request, form, formsets, change)
        changes = [
            {"change": what, "date": str(day.date), "kind": day.kind, "name": day.name}
            for formset in formsets
            for what, days in (
                ("added", formset.new_objects),
                ("edited", [obj for obj, _fields in formset.changed_objects]),
                ("deleted", formset.deleted_objects),
            )
            for day in days
        ]
        if changes:
            count = calendar_days_changed(year=form.instance.year, actor=request_user(request), changes=changes)
            self.message_user(
                request, _("%(clocks)d open deadline(s) recomputed.") % {"clocks": count}, messages.SUCCESS
            )


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
