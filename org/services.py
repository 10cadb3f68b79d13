"""Writes for the organisation: calendar seeding and confirmation, user permission changes. Each one audited."""

from __future__ import annotations

import holidays
from django.db import IntegrityError, transaction
from django.utils import timezone

from org.calendar import package_schedule
from org.models import AuditEntry, CalendarDay, CalendarYear, User
from org.tokens import api_tokens_revoke

AUDITED_USER_FIELDS = ("role", "department_id", "is_active", "is_superuser")


def audit_record(*, actor: User | None, action: str, target: str, detail: dict | None = None) -> AuditEntry:
    return AuditEntry.objects.create(actor=actor, action=action, target=target, detail=detail or {})


def calendar_year_seed(*, year: int) -> tuple[CalendarYear, bool]:
    """Create ``year`` from the holidays package as a provisional year. Never touches a year that exists."""
    existing = CalendarYear.objects.filter(pk=year).first()
    if existing is not None:
        return existing, False
    schedule = package_schedule(year)
    try:
        with transaction.atomic():
            row = CalendarYear.objects.create(year=year, source=f"holidays {holidays.__version__}")
            CalendarDay.objects.bulk_create(
                CalendarDay(
                    year=row,
                    date=day,
                    kind=CalendarDay.Kind.WORKDAY if working else CalendarDay.Kind.HOLIDAY,
                    name=schedule.names.get(day, ""),
                )
                for day, working in sorted(schedule.overrides.items())
            )
            audit_record(
                actor=None,
                action="calendar_year_seed",
                target=f"calendar:{year}",
                detail={"days": len(schedule.overrides), "source": row.source},
            )
    except IntegrityError:  # another process seeded it first
        return CalendarYear.objects.get(pk=year), False
    return row, True


@transaction.atomic
def calendar_year_confirm(*, year: int, actor: User) -> CalendarYear:
    """The admin declares that ``year``'s rows match the official State Council schedule."""
    row = CalendarYear.objects.select_for_update().get(pk=year)
    if not row.confirmed:
        row.confirmed, row.confirmed_at, row.confirmed_by = True, timezone.now(), actor
        row.save(update_fields=["confirmed", "confirmed_at", "confirmed_by"])
        audit_record(
            actor=actor, action="calendar_year_confirm", target=f"calendar:{year}", detail={"days": row.days.count()}
        )
    return row


def user_permission_changes(before: dict, user: User) -> dict:
    """The audited fields whose value differs between ``before`` (a snapshot) and ``user``."""
    return {
        name: [before.get(name), getattr(user, name)]
        for name in AUDITED_USER_FIELDS
        if before.get(name) != getattr(user, name)
    }


def user_snapshot(user: User | None) -> dict:
    return {name: getattr(user, name) for name in AUDITED_USER_FIELDS} if user and user.pk else {}


@transaction.atomic
def user_save(*, user: User, actor: User) -> User:
    """Save a user edited by an admin; a change of role, department or access writes an audit row."""
    before = user_snapshot(User.objects.select_for_update().filter(pk=user.pk).first() if user.pk else None)
    created = not user.pk
    user.save()
    if before.get("is_active") and not user.is_active:
        api_tokens_revoke(user)  # deactivated: its API tokens go (sessions already end on the next request)
    changes = user_permission_changes(before, user)
    if created or changes:
        audit_record(
            actor=actor,
            action="user_create" if created else "user_permissions_change",
            target=f"user:{user.pk}:{user.username}",
            detail=changes,
        )
    return user
