"""Refresh the hot spots from the tickets of the sliding window, and tell supervisors once when one crosses the
threshold. Run by beat (learning.tasks.hotspots_refresh_task). The notification is written once per hot spot: its
outbox key is unique and ``notified_at`` is stamped in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from learning.hotspots.grouping import Group, Message, group
from learning.models import Hotspot
from org.models import Department, User
from tickets.models import Notification, Outbox, Ticket

NOTIFY_KIND = "hotspot"


@dataclass(frozen=True)
class RefreshResult:
    active: int
    notified: int


def _messages(since: object) -> list[Message]:
    rows = (
        Ticket.objects.filter(created_at__gte=since)
        .exclude(status=Ticket.Status.MERGED)
        .values_list("pk", "content", "address", "created_at", "caller__phone")
    )
    return [
        Message(str(pk), "", content, created, address or "", phone or "")
        for pk, content, address, created, phone in rows
    ]


def hotspots_refresh() -> RefreshResult:
    now = timezone.now()
    window = timedelta(days=settings.HOTSPOT_WINDOW_DAYS)
    found = group(_messages(now - window), window=window)
    notified = 0
    with transaction.atomic():
        existing = {
            h.pk: {t for t in h.tickets.values_list("pk", flat=True)} for h in Hotspot.objects.filter(active=True)
        }
        kept: set[int] = set()
        for candidate in found:
            ids = {int(m.id) for m in candidate.members}
            match = max(existing.items(), key=lambda item: len(item[1] & ids), default=None)
            row = (
                Hotspot.objects.select_for_update().get(pk=match[0])
                if match and match[1] & ids and match[0] not in kept
                else Hotspot()
            )
            _fill(row, candidate, now, window)
            row.save()
            row.tickets.set(ids)
            kept.add(row.pk)
            if row.size >= settings.HOTSPOT_NOTIFY_SIZE and row.notified_at is None:
                notified += _notify(row, max(ids))
        Hotspot.objects.filter(active=True).exclude(pk__in=kept).update(active=False, refreshed_at=now)
    return RefreshResult(len(kept), notified)


def _fill(row: Hotspot, candidate: Group, now: object, window: timedelta) -> None:
    times = [m.created_at for m in candidate.members]
    days = window.days
    today = timezone.localdate(now)  # type: ignore[arg-type]
    daily = [0] * days
    for moment in times:
        age = (today - timezone.localdate(moment)).days
        if 0 <= age < days:
            daily[days - 1 - age] += 1
    row.label = candidate.label[:200]
    row.places, row.words = candidate.places[:3], candidate.words[:5]
    row.size = len(candidate.members)
    row.callers = len({m.caller for m in candidate.members if m.caller}) or row.size
    row.growth = sum(daily[-7:]) - sum(daily[-14:-7])
    row.daily = daily
    row.first_at, row.last_at = min(times), max(times)
    row.active, row.refreshed_at = True, now  # type: ignore[assignment]


def _notify(row: Hotspot, newest_ticket: int) -> int:
    """Supervisors are told once per hot spot (the outbox key and the notified_at stamp both say so)."""
    outbox, created = Outbox.objects.get_or_create(
        key=f"hotspot:{row.pk}",
        defaults={
            "kind": NOTIFY_KIND,
            "ticket_id": newest_ticket,
            "department": Department.objects.filter(depth=1).order_by("path").first(),
            "text": gettext("Hot spot: %(label)s (%(size)s tickets)") % {"label": row.label, "size": row.size},
            "delivered_at": timezone.now(),
        },
    )
    row.notified_at = timezone.now()
    row.save(update_fields=["notified_at"])
    if not created:
        return 0
    supervisors = User.objects.filter(role=User.Role.SUPERVISOR, is_active=True)
    Notification.objects.bulk_create(
        [
            Notification(user=u, outbox=outbox, kind=NOTIFY_KIND, ticket_id=newest_ticket, text=outbox.text)
            for u in supervisors
        ],
        ignore_conflicts=True,
    )
    return 1


@dataclass(frozen=True)
class MergeResult:
    main: Ticket
    merged: list[str]


def hotspot_merge(*, hotspot_id: int, actor: User) -> MergeResult:
    """Merge the group's open tickets as repeats of its oldest open ticket, in one transaction (all or none)."""
    from hotline.errors import DomainError
    from tickets import services
    from tickets.models.ticket import OPEN_STATUSES

    with transaction.atomic():
        hotspot = Hotspot.objects.select_for_update().get(pk=hotspot_id)
        open_tickets = list(hotspot.tickets.filter(status__in=OPEN_STATUSES).order_by("created_at", "pk"))
        if len(open_tickets) < 2:
            raise DomainError(
                gettext("This hot spot has fewer than two open tickets: nothing to merge."), code="nothing_to_merge"
            )
        main, repeats = open_tickets[0], open_tickets[1:]
        for ticket in repeats:
            services.ticket_merge(ticket_id=ticket.pk, actor=actor, main_number=main.number)
    return MergeResult(main, [t.number for t in repeats])
