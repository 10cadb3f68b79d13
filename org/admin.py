from __future__ import annotations

from typing import Any, cast

from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from org.models import Area, AuditEntry, CalendarDay, CalendarYear, Department, Street, User
from org.permission_labels import permission_field
from org.permissions import request_user
from org.services import audit_record, user_save


def _audit(request: HttpRequest, action: str, target: str, detail: dict) -> None:
    audit_record(actor=cast(User, request.user), action=action, target=target, detail=detail)


def _names(rows: Any) -> list[str]:
    return sorted(str(row) for row in rows)


def _access(user: User) -> dict[str, list[str]]:
    if not user.pk:
        return {"groups": [], "user_permissions": []}
    return {"groups": _names(user.groups.all()), "user_permissions": _names(user.user_permissions.all())}


@admin.register(Department)
class DepartmentAdmin(TreeAdmin):
    form = movenodeform_factory(Department)
    list_display = ("name", "code", "kind", "is_active")
    search_fields = ("name", "code")
    list_filter = ("kind", "is_active")


class StreetInline(admin.TabularInline):
    model = Street
    extra = 1


@admin.register(Area)
class AreaAdmin(TreeAdmin):
    """The place tree (区/县 › 街道/乡镇 › 社区/村), with the roads and compounds that lie in each place."""

    form = movenodeform_factory(Area)
    list_display = ("name", "code", "kind", "is_active")
    search_fields = ("name", "code", "streets__name")
    list_filter = ("kind", "is_active")
    inlines = [StreetInline]


@admin.register(Street)
class StreetAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "area")
    search_fields = ("name", "area__name")
    list_filter = ("kind",)
    autocomplete_fields = ("area",)


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

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        return permission_field(db_field, super().formfield_for_manytomany(db_field, request, **kwargs))

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        user_save(user=obj, actor=request.user)  # type: ignore[arg-type]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Group and permission (many-to-many) changes are saved after the user: audit them here."""
        before = _access(User.objects.get(pk=form.instance.pk))
        super().save_related(request, form, formsets, change)
        after = _access(form.instance)
        changes = {key: {"before": before[key], "after": after[key]} for key in after if before[key] != after[key]}
        if changes:
            target = f"user:{form.instance.pk}:{form.instance.username}"
            _audit(request, "user_permissions_change", target, changes)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin):
    """Groups carry permissions: creating, changing and deleting one is written to the audit log."""

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest | None = None, **kwargs: Any) -> Any:
        return permission_field(db_field, super().formfield_for_manytomany(db_field, request, **kwargs))

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        before = _names(Group.objects.get(pk=form.instance.pk).permissions.all()) if change else []
        super().save_related(request, form, formsets, change)
        after = _names(form.instance.permissions.all())
        if after != before or not change:
            detail = {"permissions": {"before": before, "after": after}}
            action = "group_change" if change else "group_create"
            _audit(request, action, f"group:{form.instance.pk}:{form.instance.name}", detail)

    def delete_model(self, request: HttpRequest, obj: Group) -> None:
        detail = {"permissions": _names(obj.permissions.all())}
        _audit(request, "group_delete", f"group:{obj.pk}:{obj.name}", detail)
        super().delete_model(request, obj)


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

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Every calendar day added, changed or removed in the admin is written to the audit log."""
        super().save_formset(request, form, formset, change)
        year = form.instance.pk
        edits: list[tuple[str, Any, dict]] = [("calendar_day_add", day, {}) for day in formset.new_objects]
        edits += [("calendar_day_change", day, {"fields": fields}) for day, fields in formset.changed_objects]
        edits += [("calendar_day_delete", day, {}) for day in formset.deleted_objects]
        for action, day, extra in edits:
            detail = {"date": day.date.isoformat(), "kind": day.kind, "name": day.name, **extra}
            _audit(request, action, f"calendar:{year}", detail)

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
