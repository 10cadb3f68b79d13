"""The notification inbox: unread count in the top bar, marked read when opened."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from tickets.models import Notification


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    assert request.user.pk is not None
    rows = Notification.objects.filter(user_id=request.user.pk).select_related("ticket").order_by("-created_at")[:100]
    return render(request, "tickets/inbox.html", {"rows": rows})


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, user_id=request.user.pk)
    if notification.read_at is None:
        Notification.objects.filter(pk=pk, read_at=None).update(read_at=timezone.now())
    return redirect("tickets:detail", number=notification.ticket.number)


def unread_count(request: HttpRequest) -> dict:
    """Context processor: the unread count for the top bar (one indexed count)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.filter(user_id=user.pk, read_at=None).count()}
